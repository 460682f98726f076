package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * Descriptions: one JSON object, addresses tried in order with every failure's reason, no
 * redirects, and the body size bounds (a declared length, an endless chunked body, the exact limit).
 */
public class ProberDescriptionTest extends ProberTestBase {
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

        // The JVM's first TLS handshake sets up its TLS context, and the JDK client's connect timeout
        // covers the handshake: on a loaded machine 500 ms / 400 ms ran out ("connect timed out",
        // "read timed out") before the TLS error. What is asserted is the reason, not a time.
        HttpDeviceProber patient = prober(new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), MAX_DESCRIPTION,
                MAX_HEALTH, 8), "wasmiot-probe-tls");
        ProbeResult result = await(patient.describe(new Communication(List.of(LOCALHOST), plainHttp.port(), true, "/")));

        assertFalse(result.succeeded());
        assertTrue(result.failure(), result.failure().startsWith("127.0.0.1: TLS error"));
    }

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
}
