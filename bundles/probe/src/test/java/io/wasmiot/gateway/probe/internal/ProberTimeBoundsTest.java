package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * Time and concurrency bounds: silent and trickling devices time out without delaying the others,
 * devices that ran out of time share a quarter of the slots, and no more than the concurrency is in
 * flight.
 */
public class ProberTimeBoundsTest extends ProberTestBase {
    @Test
    public void aSilentDeviceTimesOutWhileHealthyOnesAnswerPromptly() throws Exception {
        Duration readTimeout = Duration.ofMillis(800);
        HttpDeviceProber prober = prober(settings(readTimeout, 64), "wasmiot-probe-test");
        RawDevice silent = rawDevice(RawDevice::awaitPeerClose);
        StubDevice healthy = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, "{\"cpuUsage\":0.1}"));
        assertTrue(await(prober.checkHealth(on(healthy, LOCALHOST), null)).succeeded()); // warm up the client

        long start = System.nanoTime();
        List<CompletableFuture<ProbeResult>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(prober.checkHealth(on(silent.port(), LOCALHOST), null).toCompletableFuture());
        }
        List<CompletableFuture<Long>> healthyDoneAt = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            healthyDoneAt.add(prober.checkHealth(on(healthy, LOCALHOST), null).toCompletableFuture()
                    .thenApply(result -> {
                        assertTrue(result.failure(), result.succeeded());
                        return System.nanoTime();
                    }));
        }

        for (CompletableFuture<Long> doneAt : healthyDoneAt) {
            long millis = TimeUnit.NANOSECONDS.toMillis(doneAt.get(5, TimeUnit.SECONDS) - start);
            assertTrue("a healthy device took " + millis + " ms beside silent ones", millis < readTimeout.toMillis() / 2);
        }
        for (CompletableFuture<ProbeResult> future : slow) {
            ProbeResult result = future.get(5, TimeUnit.SECONDS);
            assertEquals("127.0.0.1: read timed out after 800 ms", result.failure());
            assertTrue("timed out too early: " + result.elapsed(), result.elapsed().compareTo(readTimeout) >= 0);
            assertTrue("timed out too late: " + result.elapsed(), result.elapsed().compareTo(readTimeout.multipliedBy(3)) < 0);
        }
        assertEquals(3, silent.accepted.get());
    }

    @Test
    public void devicesThatRanOutOfTimeShareAQuarterOfTheSlotsAndCannotHoldTheOthers() throws Exception {
        Duration readTimeout = Duration.ofMillis(600);
        // 4 slots, of which those whose last request ran out of time may hold 1
        HttpDeviceProber prober = prober(settings(readTimeout, 4), "wasmiot-probe-test");
        assertEquals(1, HttpDeviceProber.slowSlots(4));
        List<RawDevice> silent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            silent.add(rawDevice(RawDevice::awaitPeerClose));
        }
        StubDevice healthy = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, "{\"cpuUsage\":0.1}"));
        assertTrue(await(prober.checkHealth(on(healthy, LOCALHOST), null)).succeeded());

        // first sweep: nobody is known to be slow; the four silent devices take every slot until their deadline
        List<CompletableFuture<ProbeResult>> first = new ArrayList<>();
        for (RawDevice device : silent) {
            first.add(prober.checkHealth(on(device.port(), LOCALHOST), null).toCompletableFuture());
        }
        for (CompletableFuture<ProbeResult> result : first) {
            assertEquals("127.0.0.1: read timed out after 600 ms", result.get(5, TimeUnit.SECONDS).failure());
        }

        // second sweep: they wait for the one slow slot, one at a time; the healthy device is not held up
        long start = System.nanoTime();
        List<CompletableFuture<ProbeResult>> second = new ArrayList<>();
        for (RawDevice device : silent) {
            second.add(prober.checkHealth(on(device.port(), LOCALHOST), null).toCompletableFuture());
        }
        ProbeResult answered = prober.checkHealth(on(healthy, LOCALHOST), null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(answered.failure(), answered.succeeded());
        assertTrue("the healthy device waited " + millis + " ms behind silent ones", millis < readTimeout.toMillis() / 2);
        awaitCondition(() -> prober.requestsWaiting() == 3, "three silent devices waiting for the slow slot");
        for (CompletableFuture<ProbeResult> result : second) {
            assertFalse(result.get(10, TimeUnit.SECONDS).succeeded());
        }
        for (RawDevice device : silent) {
            assertEquals("each silent device was asked twice, never more at once", 2, device.accepted.get());
        }
    }

    @Test
    public void aDeviceThatAnswersAgainLeavesTheSlowSlots() throws Exception {
        Duration readTimeout = Duration.ofMillis(400);
        HttpDeviceProber prober = prober(settings(readTimeout, 4), "wasmiot-probe-test");
        RawDevice silent = rawDevice(RawDevice::awaitPeerClose);
        CountDownLatch answerAgain = new CountDownLatch(1);
        StubDevice flaky = device().answer(HttpDeviceProber.HEALTH_PATH, exchange -> {
            try {
                answerAgain.await(10, TimeUnit.SECONDS); // the first request: past its deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            StubDevice.json(200, "{}").respond(exchange);
        });
        assertFalse(await(prober.checkHealth(on(silent.port(), LOCALHOST), null)).succeeded());
        assertEquals("127.0.0.1: read timed out after 400 ms", await(prober.checkHealth(on(flaky, LOCALHOST), null)).failure());
        answerAgain.countDown();
        // still slow: it waits for the one slow slot, then answers and leaves the slow endpoints
        assertTrue(await(prober.checkHealth(on(flaky, LOCALHOST), null)).succeeded());

        CompletableFuture<ProbeResult> holdingTheSlowSlot = prober.checkHealth(on(silent.port(), LOCALHOST), null)
                .toCompletableFuture();
        awaitCondition(() -> silent.accepted.get() == 2, "the silent device holding the slow slot");
        long start = System.nanoTime();
        assertTrue(await(prober.checkHealth(on(flaky, LOCALHOST), null)).succeeded());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue("an answering device waited " + millis + " ms for the slow slot", millis < readTimeout.toMillis() / 2);
        assertFalse(holdingTheSlowSlot.get(5, TimeUnit.SECONDS).succeeded());
    }

    @Test
    public void aBodyTricklingPastTheDeadlineTimesOut() throws Exception {
        CountDownLatch clientClosed = new CountDownLatch(1);
        RawDevice trickling = rawDevice(connection -> {
            RawDevice.readRequestHead(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Headers at once, then the body never finishes: only a deadline covering the body ends this.
            RawDevice.awaitPeerClose(connection);
            clientClosed.countDown();
        });

        ProbeResult result = await(prober().describe(on(trickling.port(), LOCALHOST)));

        assertEquals("127.0.0.1: read timed out after 400 ms", result.failure());
        assertTrue("the device should see the connection closed", clientClosed.await(5, TimeUnit.SECONDS));
    }

    @Test
    public void noMoreThanConcurrencyRequestsAreInFlightAtOnce() throws Exception {
        HttpDeviceProber prober = prober(settings(Duration.ofMillis(2000), 2), "wasmiot-probe-test");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<StubDevice> slowDevices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slowDevices.add(device().answer(HttpDeviceProber.DESCRIPTION_PATH, exchange -> {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(150); // the device is slow to answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Counted out before answering, so the client cannot have its answer while it still counts.
                inFlight.decrementAndGet();
                StubDevice.json(200, "{\"ok\":true}").respond(exchange);
            }));
        }

        List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
        for (StubDevice device : slowDevices) {
            results.add(prober.describe(on(device, LOCALHOST)).toCompletableFuture());
        }
        awaitCondition(() -> prober.requestsWaiting() == 3, "three requests waiting for a slot");
        for (CompletableFuture<ProbeResult> result : results) {
            ProbeResult outcome = result.get(5, TimeUnit.SECONDS);
            assertTrue(outcome.failure(), outcome.succeeded());
        }
        assertEquals(2, mostInFlight.get());
    }
}
