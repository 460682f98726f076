package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;

public class HttpDeviceProberTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    private static final int MAX_DESCRIPTION = 65536;
    private static final int MAX_HEALTH = 4096;
    private static final String LOCALHOST = "127.0.0.1";

    private final List<AutoCloseable> devices = new ArrayList<>();
    private final List<HttpDeviceProber> probers = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (HttpDeviceProber prober : probers) {
            prober.close(); // a second close (after a test closed it) must be harmless
        }
        for (AutoCloseable device : devices) {
            device.close();
        }
    }

    // --- description -----------------------------------------------------------------------

    @Test
    public void describeReturnsTheObjectCompactWithUnknownFieldsKept() throws Exception {
        String sent = "{\n  \"platform\": {\"memory\": {\"bytes\": 16000000000},\n"
                + "    \"cpu\": {\"humanReadableName\": \"Cortex\", \"clockSpeed\": {\"Hz\": 1.2e9}}},\n"
                + "  \"supervisorInterfaces\": [\"print\"],\n"
                + "  \"somethingNew\": {\"nested\": [1, 2.50, 1.0, null, true, \"\\u00e9\"]}\n}\n";
        StubDevice device = device().answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(200, sent));

        ProbeResult result = await(prober().describe(on(device, LOCALHOST)));

        assertTrue(result.failure(), result.succeeded());
        assertEquals("{\"platform\":{\"memory\":{\"bytes\":16000000000},\"cpu\":{\"humanReadableName\":\"Cortex\","
                        + "\"clockSpeed\":{\"Hz\":1.2E+9}}},\"supervisorInterfaces\":[\"print\"],"
                        + "\"somethingNew\":{\"nested\":[1,2.50,1.0,null,true,\"\u00e9\"]}}", result.body());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(sent), json.readTree(result.body()));
        assertEquals(LOCALHOST, result.address());
        assertEquals(List.of(), result.failedAddresses());
        assertNull(result.failure());
        assertTrue(result.elapsed().toNanos() > 0);
        assertEquals("GET", device.requests.get(0).method());
        assertEquals(HttpDeviceProber.DESCRIPTION_PATH, device.requests.get(0).path());
    }

    @Test
    public void aRefusingFirstAddressIsRecordedAndTheSecondAnswers() throws Exception {
        // The device listens on 127.0.0.1 only, so the same port on 127.0.0.2 refuses.
        StubDevice device = device().answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(200, "{\"a\":1}"));

        ProbeResult result = await(prober().describe(on(device, "127.0.0.2", LOCALHOST)));

        assertTrue(result.failure(), result.succeeded());
        assertEquals("{\"a\":1}", result.body());
        assertEquals(LOCALHOST, result.address());
        assertEquals(List.of("127.0.0.2"), result.failedAddresses());
    }

    @Test
    public void whenNoAddressAnswersEveryReasonIsReported() throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(404, "{}"));

        ProbeResult result = await(prober().describe(on(device, "127.0.0.2", LOCALHOST)));

        assertFalse(result.succeeded());
        assertNull(result.body());
        assertNull(result.address());
        assertEquals(List.of("127.0.0.2", LOCALHOST), result.failedAddresses());
        assertEquals("127.0.0.2: connection refused; 127.0.0.1: HTTP 404", result.failure());
    }

    @Test
    public void bodiesThatAreNotOneJsonObjectFail() throws Exception {
        assertDescriptionFails("<html>hello</html>", "127.0.0.1: not JSON (");
        assertDescriptionFails("[{\"a\":1}]", "127.0.0.1: JSON array, not an object");
        assertDescriptionFails("\"text\"", "127.0.0.1: JSON string, not an object");
        assertDescriptionFails("{\"a\":1} trailing", "127.0.0.1: not JSON (Unrecognized token 'trailing'");
        assertDescriptionFails("{\"a\":1} 2", "127.0.0.1: not JSON (Trailing token");
        assertDescriptionFails("{\"a\":1}{\"b\":2}", "127.0.0.1: not JSON (Trailing token");
        assertDescriptionFails("{\"a\":", "127.0.0.1: not JSON (");
        assertDescriptionFails("", "127.0.0.1: empty body");
        assertDescriptionFails("[".repeat(100) + "]".repeat(100), "127.0.0.1: JSON beyond limits (");
        assertDescriptionFails("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "127.0.0.1: JSON beyond limits (");
    }

    @Test
    public void redirectsAreNotFollowed() throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.DESCRIPTION_PATH,
                StubDevice.json(302, "{}", Map.of("Location", "/elsewhere")));
        device.answer("/elsewhere", StubDevice.json(200, "{\"a\":1}"));

        ProbeResult result = await(prober().describe(on(device, LOCALHOST)));

        assertEquals("127.0.0.1: HTTP 302", result.failure());
        assertEquals(1, device.requests.size());
    }

    @Test
    public void tlsAgainstAPlainDeviceFailsWithATlsReason() throws Exception {
        RawDevice plainHttp = rawDevice(connection -> {
            connection.getInputStream().read(new byte[1024]); // the TLS client hello
            connection.getOutputStream().write(
                    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });

        ProbeResult result = await(prober().describe(new Communication(List.of(LOCALHOST), plainHttp.port(), true, "/")));

        assertFalse(result.succeeded());
        assertTrue(result.failure(), result.failure().startsWith("127.0.0.1: TLS error"));
    }

    // --- size bounds -----------------------------------------------------------------------

    @Test
    public void anEndlessChunkedBodyIsCutOffAtTheLimit() throws Exception {
        long giveUpAfter = 256L << 20;
        AtomicLong written = new AtomicLong();
        AtomicBoolean clientHungUp = new AtomicBoolean();
        CountDownLatch serverDone = new CountDownLatch(1);
        RawDevice device = rawDevice(connection -> {
            try {
                connection.setSendBufferSize(32 * 1024);
                RawDevice.readRequestHead(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "7\r\n{\"a\":\"x\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = chunk(16 * 1024);
                while (written.get() < giveUpAfter) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException expected) {
                clientHungUp.set(true);
            } finally {
                serverDone.countDown();
            }
        });

        ProbeResult result = await(prober().describe(on(device.port(), LOCALHOST)));

        assertEquals("127.0.0.1: body over " + MAX_DESCRIPTION + " bytes", result.failure());
        // Java 17 closes at once; Java 25 may defer the close to its selector's 3 s wake-up.
        assertTrue("the device should see the connection closed", serverDone.await(5, TimeUnit.SECONDS));
        assertTrue("the client should hang up, not read everything", clientHungUp.get());
        // What the device managed to write is the limit plus socket buffers, nowhere near the whole.
        assertTrue("device wrote " + written.get() + " bytes", written.get() < 32L << 20);
        assertTrue("the cut should be quick, took " + result.elapsed(), result.elapsed().compareTo(READ_TIMEOUT) < 0);
    }

    @Test
    public void aDeclaredContentLengthOverTheLimitIsRejectedBeforeReading() throws Exception {
        CountDownLatch clientClosed = new CountDownLatch(1);
        RawDevice device = rawDevice(connection -> {
            RawDevice.readRequestHead(connection.getInputStream());
            connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000000\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
            // Then nothing: a client that waited for the body would hit its deadline.
            RawDevice.awaitPeerClose(connection);
            clientClosed.countDown();
        });

        ProbeResult result = await(prober().checkHealth(on(device.port(), LOCALHOST), null));

        assertEquals("127.0.0.1: body over " + MAX_HEALTH + " bytes", result.failure());
        assertTrue("rejected at the headers, not at the deadline: " + result.elapsed(),
                result.elapsed().compareTo(READ_TIMEOUT.dividedBy(2)) < 0);
        assertTrue("the device should see the connection closed", clientClosed.await(5, TimeUnit.SECONDS));
    }

    @Test
    public void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        String padding = "x".repeat(MAX_HEALTH - "{\"p\":\"\"}".length());
        String body = "{\"p\":\"" + padding + "\"}";
        assertEquals(MAX_HEALTH, body.length());
        StubDevice device = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, body));
        StubDevice tooLarge = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, body + " "));

        assertEquals(body, await(prober().checkHealth(on(device, LOCALHOST), null)).body());
        assertEquals("127.0.0.1: body over " + MAX_HEALTH + " bytes",
                await(prober().checkHealth(on(tooLarge, LOCALHOST), null)).failure());
    }

    // --- time and concurrency bounds -------------------------------------------------------

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

    // --- health ----------------------------------------------------------------------------

    @Test
    public void healthSendsForwardedForAndReadsTheOrchestratorHeader() throws Exception {
        StubDevice set = device().answer(HttpDeviceProber.HEALTH_PATH,
                StubDevice.json(200, "{\"cpuUsage\":3.1}", Map.of("Custom-Orchestrator-Set", "TRUE")));
        StubDevice notSet = device().answer(HttpDeviceProber.HEALTH_PATH,
                StubDevice.json(200, "{\"cpuUsage\":3.1}", Map.of("Custom-Orchestrator-Set", "false")));
        StubDevice silentAboutIt = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, "{}"));

        ProbeResult first = await(prober().checkHealth(on(set, LOCALHOST), "127.0.0.1"));
        ProbeResult second = await(prober().checkHealth(on(notSet, LOCALHOST), null));
        ProbeResult third = await(prober().checkHealth(on(silentAboutIt, LOCALHOST), "  "));

        assertEquals("{\"cpuUsage\":3.1}", first.body());
        assertTrue(first.orchestratorSet());
        assertFalse(second.orchestratorSet());
        assertTrue(second.succeeded());
        assertFalse(third.orchestratorSet());
        assertEquals("127.0.0.1", set.requests.get(0).headers().getFirst("X-Forwarded-For"));
        assertEquals(HttpDeviceProber.HEALTH_PATH, set.requests.get(0).path());
        assertNull(notSet.requests.get(0).headers().getFirst("X-Forwarded-For"));
        assertNull(silentAboutIt.requests.get(0).headers().getFirst("X-Forwarded-For"));
    }

    @Test
    public void aNon200HealthAnswerIsNotSuccess() throws Exception {
        StubDevice failing = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(500, "{\"status\":\"ok\"}"));
        StubDevice created = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(201, "{\"status\":\"ok\"}"));

        ProbeResult serverError = await(prober().checkHealth(on(failing, LOCALHOST), null));
        ProbeResult notExactly200 = await(prober().checkHealth(on(created, LOCALHOST), null));

        assertEquals("127.0.0.1: HTTP 500", serverError.failure());
        assertEquals(List.of(LOCALHOST), serverError.failedAddresses());
        assertNull(serverError.body());
        assertEquals("127.0.0.1: HTTP 201", notExactly200.failure());
    }

    @Test
    public void healthStopsAtTheFirstWorkingAddress() throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, "{}"));

        ProbeResult result = await(prober().checkHealth(on(device, "127.0.0.2", LOCALHOST, LOCALHOST), null));

        assertTrue(result.succeeded());
        assertEquals(List.of("127.0.0.2"), result.failedAddresses());
        assertEquals(1, device.requests.size());
    }

    // --- addresses -------------------------------------------------------------------------

    @Test
    public void ipv6LoopbackGoesInBrackets() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        StubDevice device;
        try {
            device = new StubDevice(ipv6Loopback);
        } catch (IOException e) {
            Assume.assumeNoException("::1 is not available here", e);
            return;
        }
        devices.add(device.answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(200, "{\"v6\":true}")));
        int refusingPort = freePort(ipv6Loopback);

        ProbeResult result = await(prober().describe(on(device, "::1")));
        ProbeResult refused = await(prober().describe(new Communication(List.of("::1"), refusingPort)));

        assertTrue(result.failure(), result.succeeded());
        assertEquals("::1", result.address());
        assertEquals("[::1]:" + device.port(), device.requests.get(0).headers().getFirst("Host"));
        assertEquals("[::1]: connection refused", refused.failure());
        assertEquals(List.of("::1"), refused.failedAddresses());
    }

    @Test
    public void unusableAddressesFailWithAReasonInsteadOfThrowing() throws Exception {
        HttpDeviceProber prober = prober();
        // An unknown zone is refused by the JDK's resolver before anything is sent.
        ProbeResult unknownZone = await(prober.describe(new Communication(List.of("fe80::1%nosuchif0"), 5000)));
        ProbeResult smuggling = await(prober.describe(new Communication(List.of("127.0.0.1/x?y", "a b"), 5000)));

        assertTrue(unknownZone.failure(), unknownZone.failure().startsWith("[fe80::1%nosuchif0]: "));
        assertEquals(List.of("fe80::1%nosuchif0"), unknownZone.failedAddresses());
        assertTrue(smuggling.failure(), smuggling.failure().startsWith("127.0.0.1/x?y: cannot build request (not a host"));
        assertEquals(List.of("127.0.0.1/x?y", "a b"), smuggling.failedAddresses());
        assertEquals(2, smuggling.failure().split("; ").length);
    }

    @Test
    public void nullArgumentsFailInsteadOfThrowing() throws Exception {
        HttpDeviceProber prober = prober();
        assertFalse(await(prober.describe(null)).succeeded());
        assertFalse(await(prober.checkHealth(null, "x")).succeeded());
        assertFalse(await(prober.tellGateway(null, LOCALHOST, "http://127.0.0.1:3000")).succeeded());
        assertFalse(await(prober.tellGateway(new Communication(List.of(LOCALHOST), 5000), null, "u")).succeeded());
        assertFalse(await(prober.tellGateway(new Communication(List.of(LOCALHOST), 5000), LOCALHOST, null)).succeeded());
    }

    // --- register --------------------------------------------------------------------------

    @Test
    public void tellGatewayPostsTheUrlAsJson() throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(200, "{\"status\":\"success\"}"));

        ProbeResult result = await(prober().tellGateway(on(device, "127.0.0.2"), LOCALHOST, "http://127.0.0.1:3000"));

        assertTrue(result.failure(), result.succeeded());
        assertEquals("{\"status\":\"success\"}", result.body());
        assertEquals(LOCALHOST, result.address());
        StubDevice.Recorded request = device.requests.get(0);
        assertEquals("POST", request.method());
        assertEquals(HttpDeviceProber.REGISTER_PATH, request.path());
        assertEquals("application/json", request.headers().getFirst("Content-Type"));
        assertEquals("{\"url\":\"http://127.0.0.1:3000\"}", request.body());
    }

    @Test
    public void tellGatewayTakesAny2xxAndReportsANonObjectBodyAsEmptyObject() throws Exception {
        StubDevice noContent = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(204, ""));
        StubDevice plainText = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(200, "OK"));
        StubDevice huge = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(200, "{\"x\":\"" + "y".repeat(MAX_HEALTH) + "\"}"));
        StubDevice refusing = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(400, "{\"error\":\"no\"}"));
        String gateway = "http://127.0.0.1:3000";

        assertEquals("{}", await(prober().tellGateway(on(noContent, LOCALHOST), LOCALHOST, gateway)).body());
        assertEquals("{}", await(prober().tellGateway(on(plainText, LOCALHOST), LOCALHOST, gateway)).body());
        assertEquals("{}", await(prober().tellGateway(on(huge, LOCALHOST), LOCALHOST, gateway)).body());
        ProbeResult refused = await(prober().tellGateway(on(refusing, LOCALHOST), LOCALHOST, gateway));
        assertEquals("127.0.0.1: HTTP 400", refused.failure());
        assertEquals(List.of(LOCALHOST), refused.failedAddresses());
    }

    // --- life cycle ------------------------------------------------------------------------

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

    // --- helpers ---------------------------------------------------------------------------

    private void assertDescriptionFails(String body, String expectedFailurePrefix) throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(200, body));
        ProbeResult result = await(prober().describe(on(device, LOCALHOST)));
        assertFalse(body, result.succeeded());
        assertNotNull(result.failure());
        assertTrue("for " + body + ": " + result.failure(), result.failure().startsWith(expectedFailurePrefix));
        assertEquals(List.of(LOCALHOST), result.failedAddresses());
    }

    private HttpDeviceProber prober() {
        if (probers.isEmpty()) {
            probers.add(new HttpDeviceProber(settings(READ_TIMEOUT, 8), "wasmiot-probe-test"));
        }
        return probers.get(0);
    }

    private HttpDeviceProber prober(ProbeSettings settings, String threadNamePrefix) {
        HttpDeviceProber prober = new HttpDeviceProber(settings, threadNamePrefix);
        probers.add(prober);
        return prober;
    }

    private static ProbeSettings settings(Duration readTimeout, int concurrency) {
        return new ProbeSettings(CONNECT_TIMEOUT, readTimeout, MAX_DESCRIPTION, MAX_HEALTH, concurrency);
    }

    private StubDevice device() throws IOException {
        StubDevice device = StubDevice.onLoopback();
        devices.add(device);
        return device;
    }

    private RawDevice rawDevice(RawDevice.Behaviour behaviour) throws IOException {
        RawDevice device = new RawDevice(behaviour);
        devices.add(device);
        return device;
    }

    private static Communication on(StubDevice device, String... addresses) {
        return on(device.port(), addresses);
    }

    private static Communication on(int port, String... addresses) {
        return new Communication(Arrays.asList(addresses), port);
    }

    private static ProbeResult await(CompletionStage<ProbeResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] chunk(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = Arrays.copyOf(head, head.length + size + 2);
        System.arraycopy(data, 0, framed, head.length, size);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        return framed;
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix + "-"))
                .count();
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5); // polling interval, not a wait for the event itself
        }
    }
}
