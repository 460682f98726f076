package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code POST /device/logs} on the real gateway jar (docs/contract.md §6, §9): a supervisor's log lines, posted
 * as the reference Python supervisor posts them (a form field {@code logData}), are kept per device
 * (the last {@code linesPerDevice}), shown by the web console's devices page, streamed as
 * {@code LOG} events and counted in {@code /metrics}; a device over its rate gets {@code 429} with
 * {@code Retry-After}; an address no listed device has, a bad line, a wrong type or a body too large
 * gets a clear JSON error and changes nothing.
 */
public class DeviceLogsIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(40);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String CONSOLE_PASSWORD = "it-logs-secret";
    private static GatewayProcess gateway;
    private static SimulatorProcess devices;

    @BeforeClass
    public static void start() {
        gateway = GatewayProcess.start("device-logs-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.devicelogs", "linesPerDevice", 3)
                .set("wasmiot.gateway.devicelogs", "burst", 4)
                // a token every 100 s: within a test, the burst is all a device gets
                .set("wasmiot.gateway.devicelogs", "linesPerSecond", 0.01)
                .set("org.apache.felix.webconsole.internal.servlet.OsgiManager", "username", "operator")
                .set("org.apache.felix.webconsole.internal.servlet.OsgiManager", "password", CONSOLE_PASSWORD));
        Await.until("device logs configuration applied", SOON,
                () -> gateway.log().contains("Device logs: the last 3 lines of each device kept"));
        devices = SimulatorProcess.start(gateway.dir, 3, "--name-prefix", "logs-");
        for (int i = 1; i <= 3; i++) {
            String name = String.format("logs-%04d", i);
            Await.until(name + " healthy", SOON, () -> gateway.healthyDevice(name));
        }
    }

    @AfterClass
    public static void stop() {
        if (devices != null) {
            devices.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A line as the reference supervisor formats it; its deviceName tells devices on one address apart. */
    private static String line(String device, String message) {
        return "{\"timestamp\":\"2026-12-07 10:00:00,000\",\"loglevel\":\"INFO\",\"message\":" + MAPPER.valueToTree(message)
                + ",\"funcName\":\"run\",\"deviceName\":\"" + device + "\",\"deviceIP\":\"127.0.1.1\"}";
    }

    private static HttpResponse<String> post(String device, String message) {
        return gateway.http.post("/device/logs", FORM,
                "logData=" + URLEncoder.encode(line(device, message), StandardCharsets.UTF_8));
    }

    private static String id(String device) {
        return gateway.device(device).get("_id").asText();
    }

    /** The device's kept lines as the web console's devices page reads them. */
    private static JsonNode consoleLines(String deviceId) throws IOException {
        HttpResponse<String> response = gateway.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + gateway.port + "/system/console/wasmiot-devices/logs?id=" + deviceId))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("operator:" + CONSOLE_PASSWORD).getBytes(StandardCharsets.UTF_8))));
        assertEquals(response.body(), 200, response.statusCode());
        return MAPPER.readTree(response.body());
    }

    private static double metric(String result) {
        String value = gateway.metric("wasmiot_device_log_lines_total{result=\"" + result + "\"}");
        return value == null ? 0 : Double.parseDouble(value);
    }

    private static void assertJsonError(HttpResponse<String> response, int status) throws IOException {
        assertEquals(response.body(), status, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim());
        assertTrue(response.body(), MAPPER.readTree(response.body()).get("error").asText().length() > 5);
    }

    @Test
    public void linesAreKeptShownStreamedAndCountedAndABurstBeyondTheRateIsRefused() throws Exception {
        List<String> stream = EventStreamLines.open(gateway.port);
        String id = id("logs-0001");
        double acceptedBefore = metric("accepted");
        for (int i = 1; i <= 4; i++) {
            HttpResponse<String> kept = post("logs-0001", "line " + i + " <b>not markup</b>");
            assertEquals(kept.body(), 200, kept.statusCode());
            assertEquals(id, MAPPER.readTree(kept.body()).get("deviceId").asText());
        }
        // the last 3 (linesPerDevice), oldest first, each as the device sent it
        JsonNode lines = consoleLines(id);
        assertEquals(lines.toString(), 3, lines.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(MAPPER.readTree(line("logs-0001", "line " + (i + 2) + " <b>not markup</b>")),
                    lines.get(i).get("logData"));
            assertTrue(lines.get(i).get("received").asText().endsWith("Z"));
        }
        // every line on the event stream as a LOG event carrying the line as an object
        Await.until("four LOG events of logs-0001", SOON, () -> logEvents(stream, id).size() == 4);
        JsonNode event = logEvents(stream, id).get(3);
        assertEquals("LOG", event.get("type").asText());
        assertEquals("logs-0001", event.get("name").asText());
        assertEquals("line 4 <b>not markup</b>", event.get("logData").get("message").asText());

        HttpResponse<String> refused = post("logs-0001", "line 5");
        assertJsonError(refused, 429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue("about 100 s at 0.01 lines/s: " + retryAfter, retryAfter >= 50 && retryAfter <= 100);
        assertEquals("a refused line is not kept", 3, consoleLines(id).size());
        assertEquals(4, metric("accepted") - acceptedBefore, 0);
        assertTrue(metric("refused_rate") >= 1);
        assertTrue("logged with the device's name and _id", gateway.log().contains(
                "Device logs-0001 (" + id + "): log lines over its rate"));
    }

    @Test
    public void unknownAddressesAndBadInputGetClearErrorsAndKeepNothing() throws Exception {
        double unknownBefore = metric("unknown_device");
        double sizeBefore = metric("refused_size");
        // From 127.0.0.2 (loopback, but no listed device has it): refused before the body is read.
        String answer = postFrom("127.0.0.2", "logData=" + URLEncoder.encode(line("logs-0002", "spoofed"),
                StandardCharsets.UTF_8));
        assertTrue(answer, answer.startsWith("HTTP/1.1 404 "));
        assertTrue(answer, answer.contains("{\"error\":\"no listed device has the address 127.0.0.2\"}"));
        // Several listed devices at 127.0.0.1: a line naming none of them is nobody's.
        assertJsonError(gateway.http.post("/device/logs", FORM, "logData=" + URLEncoder.encode("{\"message\":\"whose?\"}",
                StandardCharsets.UTF_8)), 404);
        assertEquals(2, metric("unknown_device") - unknownBefore, 0);

        assertJsonError(gateway.http.post("/device/logs", FORM, "logData=not%20json"), 400);
        assertJsonError(gateway.http.post("/device/logs", FORM, "logData=%5B1%5D"), 400);
        assertJsonError(gateway.http.post("/device/logs", FORM, "message=no+logData+field"), 400);
        assertJsonError(gateway.http.post("/device/logs", "application/json", "{\"logData\":{}}"), 415);
        assertJsonError(gateway.http.post("/device/logs", FORM,
                "logData=" + "x".repeat(65_537)), 413);
        assertEquals(1, metric("refused_size") - sizeBefore, 0);
        assertEquals("nothing kept for logs-0002", 0, consoleLines(id("logs-0002")).size());

        // multipart/form-data is taken as well
        String boundary = "it-boundary";
        HttpResponse<String> multipart = gateway.http.post("/device/logs", "multipart/form-data; boundary=" + boundary,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"logData\"\r\n\r\n"
                        + line("logs-0002", "from a multipart form") + "\r\n--" + boundary + "--\r\n");
        assertEquals(multipart.body(), 200, multipart.statusCode());
        assertEquals("from a multipart form", consoleLines(id("logs-0002")).get(0).get("logData").get("message").asText());
        assertEquals("the gateway still answers", 200, gateway.http.get("/file/device").statusCode());
    }

    @Test
    public void aForgottenDevicesLinesGoWithIt() throws Exception {
        String id = id("logs-0003");
        assertEquals(200, post("logs-0003", "before the forget").statusCode());
        assertEquals(1, consoleLines(id).size());
        assertEquals(204, gateway.http.delete("/file/device/logs-0003").statusCode());
        Await.until("its lines gone", SOON, () -> {
            try {
                return consoleLines(id).size() == 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A raw POST from a given local address (all of 127/8 is this host's loopback). */
    private static String postFrom(String localAddress, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port), 5000);
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /device/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM + "\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<JsonNode> logEvents(List<String> stream, String deviceId) {
        List<JsonNode> events = new ArrayList<>();
        String type = null;
        for (String line : stream) {
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ") && "LOG".equals(type)) {
                try {
                    JsonNode data = MAPPER.readTree(line.substring(6));
                    if (deviceId.equals(data.path("deviceId").asText())) {
                        events.add(data);
                    }
                } catch (IOException e) {
                    throw new AssertionError("an event that is not JSON: " + line, e);
                }
            }
        }
        return events;
    }
}
