package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import io.wasmiot.gateway.api.model.ProbeResult;

/** Closing the prober: pending and later calls fail, its threads end, nothing of it stays in the client. */
public class ProberLifecycleTest extends ProberTestBase {
    @Test
    public void closingFailsPendingAndLaterCallsAndStopsTheThreads() throws Exception {
        String threads = "wasmiot-probe-closing";
        HttpDeviceProber prober = prober(settings(Duration.ofMillis(5000), 1), threads);
        CountDownLatch clientClosed = new CountDownLatch(1);
        RawDevice silent = rawDevice(connection -> {
            RawDevice.awaitPeerClose(connection);
            clientClosed.countDown();
        });
        CompletableFuture<ProbeResult> inFlight = prober.describe(on(silent.port(), LOCALHOST)).toCompletableFuture();
        CompletableFuture<ProbeResult> waiting = prober.checkHealth(on(silent.port(), LOCALHOST), null).toCompletableFuture();
        awaitCondition(() -> silent.accepted.get() == 1 && prober.requestsWaiting() == 1, "one request sent, one waiting");
        assertTrue("the prober's threads should exist", liveThreads(threads) > 0);

        long closing = System.nanoTime();
        prober.close();

        for (CompletableFuture<ProbeResult> pending : List.of(inFlight, waiting)) {
            ProbeResult result = pending.get(2, TimeUnit.SECONDS);
            assertEquals(HttpDeviceProber.STOPPED, result.failure());
            assertFalse(result.succeeded());
        }
        assertTrue("pending calls should end at close, not at their deadline",
                System.nanoTime() - closing < TimeUnit.MILLISECONDS.toNanos(2500));
        assertEquals(HttpDeviceProber.STOPPED, await(prober.describe(on(silent.port(), LOCALHOST))).failure());
        assertEquals(HttpDeviceProber.STOPPED, await(prober.tellGateway(on(silent.port(), LOCALHOST), LOCALHOST, "u")).failure());
        assertTrue("the device should see the connection closed", clientClosed.await(3, TimeUnit.SECONDS));
        assertEquals("no second request may reach the device", 1, silent.accepted.get());
        awaitCondition(() -> liveThreads(threads) == 0, "the prober's threads to end");
    }

    /**
     * On Java 17 the JDK client cannot be closed: it outlives the prober until it is collected and
     * keeps the executor. After close nothing reachable from it may be a class of this bundle, or an
     * update or refresh would leave the old bundle revision (and the API it is wired to) loaded.
     */
    @Test
    public void aClosedProberLeavesNoClassOfItsOwnInTheHttpClient() throws Exception {
        HttpDeviceProber prober = prober(settings(READ_TIMEOUT, 2), "wasmiot-probe-release");
        java.lang.reflect.Field field = HttpDeviceProber.class.getDeclaredField("client");
        field.setAccessible(true);
        java.net.http.HttpClient client = (java.net.http.HttpClient) field.get(prober);
        java.util.concurrent.ThreadPoolExecutor executor =
                (java.util.concurrent.ThreadPoolExecutor) client.executor().orElseThrow();
        assertSame("names the threads while running", io.wasmiot.lib.threads.NamedThreadFactory.class, executor.getThreadFactory().getClass());

        prober.close();

        assertNull("a JDK class after close", executor.getThreadFactory().getClass().getClassLoader());
        assertNull("a JDK class after close", executor.getRejectedExecutionHandler().getClass().getClassLoader());
    }
}
