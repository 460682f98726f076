package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.Test;

public class RequestLimiterTest {

    @Test
    public void startsAtMostTheBoundAndTheRestInOrderAsSlotsFree() throws Exception {
        RequestLimiter limiter = new RequestLimiter(2);
        List<CompletableFuture<Integer>> running = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        List<Integer> startOrder = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int request = i;
            results.add(limiter.submit(() -> {
                startOrder.add(request);
                CompletableFuture<Integer> response = new CompletableFuture<>();
                running.add(response);
                return response;
            }));
        }
        assertEquals(List.of(0, 1), startOrder);
        assertEquals(2, limiter.inFlight());
        assertEquals(3, limiter.waiting());

        running.get(1).complete(1);
        assertEquals(List.of(0, 1, 2), startOrder);
        assertEquals(Integer.valueOf(1), results.get(1).get());
        assertEquals(2, limiter.inFlight());

        running.get(0).completeExceptionally(new IllegalStateException("device error"));
        assertEquals(List.of(0, 1, 2, 3), startOrder);
        try {
            results.get(0).get();
            throw new AssertionError("a failed request should fail its result");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof IllegalStateException);
        }

        limiter.close();
        assertEquals(0, limiter.waiting());
        assertTrue("a request still waiting fails at close", isStopped(results.get(4)));
        running.get(2).complete(2);
        running.get(3).complete(3);
        assertEquals(Integer.valueOf(3), results.get(3).get());
        assertEquals(0, limiter.inFlight());
        assertTrue("nothing starts after close", isStopped(limiter.submit(() -> CompletableFuture.completedFuture(9))));
        assertEquals(List.of(0, 1, 2, 3), startOrder);
    }

    @Test
    public void aLongLineOfRequestsThatFinishAtOnceDoesNotRecurse() throws Exception {
        RequestLimiter limiter = new RequestLimiter(1);
        CompletableFuture<Integer> blocker = new CompletableFuture<>();
        limiter.submit(() -> blocker);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            int value = i;
            results.add(limiter.submit(() -> CompletableFuture.completedFuture(value)));
        }
        assertEquals(50_000, limiter.waiting());

        blocker.complete(-1); // would overflow the stack if each next request were started recursively

        assertEquals(Integer.valueOf(49_999), results.get(49_999).get());
        assertEquals(0, limiter.inFlight());
        assertEquals(0, limiter.waiting());
    }

    @Test
    public void aSupplierThatThrowsFailsOnlyItsOwnRequest() throws Exception {
        RequestLimiter limiter = new RequestLimiter(1);
        CompletableFuture<Integer> failed = limiter.submit(() -> {
            throw new IllegalArgumentException("bad request");
        });
        assertTrue(failed.isCompletedExceptionally());
        assertEquals(0, limiter.inFlight());
        assertEquals(Integer.valueOf(7), limiter.submit(() -> CompletableFuture.completedFuture(7)).get());
    }

    private static boolean isStopped(CompletableFuture<?> result) throws InterruptedException {
        try {
            result.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof ProberStoppedException;
        } catch (java.util.concurrent.CancellationException e) {
            return false;
        }
    }
}
