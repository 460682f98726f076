package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.hc.api.Result;
import org.junit.After;
import org.junit.Test;

import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

public class StoreCheckTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final StoreCheck check = new StoreCheck(config(200));

    @After
    public void stop() {
        release.countDown();
        check.deactivate();
    }

    /** A store whose {@code count()} does what {@code count} says; any other call is a test error. */
    private static DeviceStore store(Callable<Integer> count) {
        return (DeviceStore) Proxy.newProxyInstance(StoreCheckTest.class.getClassLoader(),
                new Class<?>[] {DeviceStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("count")) {
                        return count.call();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void noStoreIsCritical() {
        Result result = check.execute();
        assertEquals(Result.Status.CRITICAL, result.getStatus());
        assertTrue(result.toString(), result.toString().contains("no device store"));
    }

    @Test
    public void aStoreThatCountsIsOk() {
        check.store = store(() -> 7);
        Result result = check.execute();
        assertEquals(Result.Status.OK, result.getStatus());
        assertTrue(result.toString(), result.toString().contains("counted 7 device(s)"));
    }

    @Test
    public void aFailedReadIsCriticalAndItsCauseStaysInTheLog() {
        check.store = store(() -> {
            throw new StoreException("cannot open jdbc:postgresql://db.internal:5432/gw: secret detail", null);
        });
        Result result = check.execute();
        assertEquals(Result.Status.CRITICAL, result.getStatus());
        assertTrue(result.toString(), result.toString().contains("StoreException"));
        assertFalse(result.toString(), result.toString().contains("db.internal"));
    }

    @Test
    public void aHangingReadIsCriticalWithinTheTimeoutAndNoSecondReadStartsUntilItEnds() throws Exception {
        CountDownLatch reads = new CountDownLatch(2);
        check.store = store(() -> {
            reads.countDown();
            release.await();
            return 1;
        });
        long started = System.nanoTime();
        Result first = check.execute();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(Result.Status.CRITICAL, first.getStatus());
        assertTrue(first.toString(), first.toString().contains("within 200 ms"));
        assertTrue("returned after the timeout, not the read: " + tookMillis + " ms", tookMillis < 5_000);
        Result second = check.execute();
        assertEquals(Result.Status.CRITICAL, second.getStatus());
        assertTrue(second.toString(), second.toString().contains("has not answered a read for"));
        assertEquals("only the first read started", 1, reads.getCount());
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Result after;
        do {
            after = check.execute();
        } while (after.getStatus() != Result.Status.OK && System.nanoTime() < deadline);
        assertEquals("the store answers again", Result.Status.OK, after.getStatus());
    }

    @Test
    public void afterDeactivateTheCheckSaysSoInsteadOfFailing() {
        check.store = store(() -> 1);
        check.deactivate();
        assertEquals(Result.Status.CRITICAL, check.execute().getStatus());
    }

    static StoreCheckConfig config(int timeoutMillis) {
        return new StoreCheckConfig() {
            @Override
            public int timeoutMillis() {
                return timeoutMillis;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return StoreCheckConfig.class;
            }
        };
    }
}
