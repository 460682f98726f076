package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.DeviceLogLine;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

public class DeviceLogsServletTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String PI = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String SIM1 = "bbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String SIM2 = "cccccccccccccccccccccccc";
    private static final int MAX_BODY = 2048;

    private final ListedDevices store = new ListedDevices();
    /** Lines of 256 bytes at most; a burst of 3 lines, then 1 a second, on a clock that stands still. */
    private DeviceLogBook book = book(3);
    private final DeviceLogsServlet servlet = new DeviceLogsServlet(MAX_BODY);

    {
        store.add(PI, "pi4-kitchen", "192.168.1.23");
        store.add(SIM1, "sim-0001", "127.0.0.1");
        store.add(SIM2, "sim-0002", "127.0.0.1");
        servlet.setStore(store);
        servlet.setLogs(book);
    }

    private static DeviceLogBook book(int burst) {
        return new DeviceLogBook(new DeviceLogSettings(100, 256, 1 << 20, 100, 1, burst), () -> 42_000_000_000L);
    }

    /** What was answered, and whether the body was read. */
    private record Answer(int status, Map<String, Object> headers, JsonNode body, int bytesRead) {
    }

    private Answer post(String peer, String contentType, String body) throws Exception {
        return post(peer, contentType, body, body.getBytes(StandardCharsets.UTF_8).length);
    }

    private Answer post(String peer, String contentType, String body, long contentLength) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> "POST";
                    case "getRemoteAddr" -> peer;
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> contentLength;
                    case "getInputStream" -> stream;
                    case "getProtocol" -> "HTTP/1.1";
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> null;
                });
        Map<String, Object> seen = new HashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        servlet.service(request, JsonResponsesTest.response(seen, out));
        return new Answer((Integer) seen.remove("status"), seen, MAPPER.readTree(out.toByteArray()),
                bytes.length - in.available());
    }

    private static String line(String json) {
        return LogFormTest.urlencoded("logData", json);
    }

    private double count(String result) {
        return servlet.metrics().stream().filter(s -> result.equals(s.labels().get("result")))
                .mapToDouble(MetricSample::value).findFirst().orElseThrow();
    }

    @Test
    public void aLineFromAListedDevicesAddressIsKeptForIt() throws Exception {
        Answer answer = post("192.168.1.23", FORM, line(LogFormTest.LINE));
        assertEquals(answer.body().toString(), 200, answer.status());
        assertEquals(PI, answer.body().get("deviceId").asText());
        List<DeviceLogLine> kept = book.recent(PI);
        assertEquals(1, kept.size());
        assertEquals("pi4-kitchen", kept.get(0).deviceName());
        assertEquals("kept as the device sent it, compactly", MAPPER.readTree(LogFormTest.LINE), MAPPER.readTree(kept.get(0).data()));
        assertEquals(1.0, count("accepted"), 0);
    }

    @Test
    public void devicesSharingAnAddressAreToldApartByDeviceName() throws Exception {
        Answer named = post("127.0.0.1", FORM, line("{\"deviceName\":\"sim-0002\",\"message\":\"hello\"}"));
        assertEquals(200, named.status());
        assertEquals(SIM2, named.body().get("deviceId").asText());
        assertEquals(1, book.recent(SIM2).size());

        Answer unnamed = post("127.0.0.1", FORM, line("{\"message\":\"whose?\"}"));
        assertEquals(404, unnamed.status());
        assertTrue(unnamed.body().get("error").asText().contains("deviceName"));
        Answer misnamed = post("127.0.0.1", FORM, line("{\"deviceName\":\"pi4-kitchen\",\"message\":\"not from here\"}"));
        assertEquals("a name alone never picks a device at another address", 404, misnamed.status());
        assertEquals(List.of(), book.recent(PI));
        assertEquals(2.0, count("unknown_device"), 0);
    }

    @Test
    public void anAddressNoListedDeviceHasIsA404BeforeTheBodyIsRead() throws Exception {
        Answer answer = post("10.9.9.9", FORM, line(LogFormTest.LINE));
        assertEquals(404, answer.status());
        assertTrue(answer.body().get("error").asText().contains("10.9.9.9"));
        assertEquals(0, answer.bytesRead());
        assertEquals("the unread body closes the connection: said", "close", answer.headers().get("Connection"));
        assertEquals(1.0, count("unknown_device"), 0);
    }

    @Test
    public void beyondItsBurstADeviceGets429WithRetryAfterAndNothingIsKept() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("192.168.1.23", FORM, line("{\"n\":" + i + "}")).status());
        }
        Answer refused = post("192.168.1.23", FORM, line("{\"n\":3}"));
        assertEquals(429, refused.status());
        assertEquals("1", refused.headers().get("Retry-After"));
        assertTrue(refused.body().get("error").asText().contains("pi4-kitchen"));
        assertEquals("refused before its body was read", 0, refused.bytesRead());
        assertEquals(3, book.recent(PI).size());
        assertEquals(1.0, count("refused_rate"), 0);
        assertEquals("another device's rate is its own", 200,
                post("127.0.0.1", FORM, line("{\"deviceName\":\"sim-0001\"}")).status());
    }

    @Test
    public void bodiesAndLinesOverTheirBoundsAre413s() throws Exception {
        Answer declared = post("192.168.1.23", FORM, line("{\"m\":\"" + "x".repeat(100) + "\"}"), MAX_BODY + 1);
        assertEquals(413, declared.status());
        assertEquals(0, declared.bytesRead());
        Answer streamed = post("192.168.1.23", FORM, line("{\"m\":\"" + "x".repeat(MAX_BODY) + "\"}"), -1);
        assertEquals("a body without a length is cut at the bound", 413, streamed.status());
        Answer longLine = post("192.168.1.23", FORM, line("{\"m\":\"" + "x".repeat(300) + "\"}"));
        assertEquals("a line over maxLineBytes (256)", 413, longLine.status());
        assertTrue(longLine.body().get("error").asText().contains("256"));
        assertEquals(List.of(), book.recent(PI));
        assertEquals(3.0, count("refused_size"), 0);
    }

    @Test
    public void badInputGetsAClearErrorAndKeepsNothing() throws Exception {
        book = book(100); // every post counts against the rate, good or bad
        servlet.setLogs(book);
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put(line("not json"), 400);
        cases.put(line("[1,2]"), 400);
        cases.put(line("\"text\""), 400);
        cases.put(line("{\"a\":1} trailing"), 400);
        cases.put("other=1", 400);
        cases.put("logData=%E0%80%AF", 400); // invalid UTF-8
        cases.put(line("{\"a\":\"\\ud800\"}"), 400);
        cases.put(line("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"), 400);
        for (Map.Entry<String, Integer> bad : cases.entrySet()) {
            Answer answer = post("192.168.1.23", FORM, bad.getKey());
            assertEquals(bad.getKey(), (int) bad.getValue(), answer.status());
            assertTrue(bad.getKey(), answer.body().get("error").asText().length() > 5);
        }
        Answer json = post("192.168.1.23", "application/json", "{\"logData\":{}}");
        assertEquals(415, json.status());
        assertEquals(0, json.bytesRead());
        assertEquals(List.of(), book.recent(PI));
        assertEquals(cases.size() + 1.0, count("bad_request"), 0);
        assertEquals(0.0, count("accepted"), 0);
    }

    @Test
    public void withoutTheStoreA503SaysWhenToRetry() throws Exception {
        servlet.setStore(null);
        Answer answer = post("192.168.1.23", FORM, line(LogFormTest.LINE));
        assertEquals(503, answer.status());
        assertEquals("1", answer.headers().get("Retry-After"));
        store.failing = true;
        servlet.setStore(store);
        assertEquals("a store that fails", 503, post("192.168.1.23", FORM, line(LogFormTest.LINE)).status());
        assertEquals(List.of(), book.recent(PI));
    }
}
