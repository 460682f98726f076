package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * docs/contract.md §6, last row: every error on the gateway's HTTP port is the JSON {@code {"error"}}: unknown
 * paths, methods a resource does not take, and the first moments after a start, when a client sees
 * the API's answer or a JSON {@code 503} with {@code Retry-After} from the first connection the
 * gateway accepts, never Jetty's HTML page. The web console keeps its own pages.
 */
public class JsonErrorsIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static GatewayProcess gateway;

    @BeforeClass
    public static void start() {
        gateway = GatewayProcess.start("json-errors-it", GatewayProcess.Config.fast());
    }

    @AfterClass
    public static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One answer read off a raw socket: status, headers (lower-case names), body. */
    private record Answer(int status, Map<String, String> headers, String body) {
        boolean isJson() {
            return headers.getOrDefault("content-type", "").startsWith("application/json");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 120 ? body.substring(0, 120) + "..." : body);
        }
    }

    /** {@code GET path} on a new connection; {@code null} while nothing accepts connections on the port. */
    private static Answer get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException e) {
                return null;
            }
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertTrue("a whole answer: " + text, end > 0);
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    private static void assertJsonError(String what, Answer answer, int status) throws IOException {
        assertEquals(what + ": " + answer, status, answer.status());
        assertTrue(what + " is JSON: " + answer, answer.isJson());
        JsonNode error = MAPPER.readTree(answer.body()).get("error");
        assertTrue(what + " says what went wrong: " + answer, error != null && error.isTextual() && !error.asText().isBlank());
    }

    /**
     * A client asking from the gateway's launch, as fast as it can: every answer, from the first
     * accepted connection on, is the API's own (the device list; a JSON 404 for an unknown path;
     * the health checks' results) or the JSON 503 with Retry-After; never HTML, never a 404 for the
     * API's path.
     */
    @Test
    public void fromTheFirstAcceptedConnectionEveryAnswerIsTheApisOrAJson503() throws Exception {
        GatewayProcess starting = GatewayProcess.launchNew("json-errors-start", GatewayProcess.Config.fast());
        try {
            List<String> seen = new ArrayList<>();
            boolean listed = false;
            long refused = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (int i = 0; !listed; i++) {
                assertTrue("the gateway answered GET /file/device with its list within 90 s; answers " + seen,
                        System.nanoTime() < deadline && starting.isAlive());
                String path = i % 3 == 0 ? "/file/device" : i % 3 == 1 ? "/nope" : "/system/health";
                Answer answer = get(starting.port, path);
                if (answer == null) {
                    refused++;
                    Thread.yield(); // connection refused at once: not listening yet; ask again
                    continue;
                }
                String kind = answer.status() + (answer.isJson() ? " json" : " " + answer.headers().get("content-type"));
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(path + " " + kind)) {
                    seen.add(path + " " + kind);
                }
                if (path.equals("/system/health")) {
                    assertHealthAnswer(answer);
                } else if (answer.status() == 503) {
                    assertJsonError(path + " while starting", answer, 503);
                    assertEquals(path + " 503 says when to retry", "1", answer.headers().get("retry-after"));
                } else if (path.equals("/file/device")) {
                    assertEquals("the API's path: " + answer, 200, answer.status());
                    assertTrue(answer.toString(), answer.isJson() && MAPPER.readTree(answer.body()).isArray());
                    listed = true;
                } else {
                    assertJsonError(path, answer, 404);
                }
            }
            System.out.println("JsonErrorsIT: answers from launch (after " + refused + " refused connects): " + seen);
        } finally {
            starting.close();
        }
    }

    /**
     * {@code /system/health} while the gateway starts: the standby's JSON 503 until the health check
     * servlet is there, then the checks' results in JSON (200, or 503 while a check is CRITICAL or
     * not ready); never a 404 or HTML.
     */
    private static void assertHealthAnswer(Answer answer) throws IOException {
        assertTrue("/system/health while starting: " + answer, answer.isJson()
                && (answer.status() == 200 || answer.status() == 503));
        JsonNode body = MAPPER.readTree(answer.body());
        assertTrue("the standby's error or the checks' results: " + answer,
                body.path("error").isTextual() || body.path("overallResult").isTextual());
        if (answer.status() == 503) {
            assertEquals("/system/health 503 says when to retry", "1", answer.headers().get("retry-after"));
        }
    }

    @Test
    public void unknownPathsAreJson404s() throws Exception {
        for (String path : List.of("/nope", "/file/nope", "/", "/file/device/some-id/no-such-action", "/system",
                "/device", "/index.html", "/file/device/a/b/c")) {
            assertJsonError("GET " + path, get(gateway.port, path), 404);
        }
        HttpResponse<String> post = gateway.http.post("/nope", "application/json", "{}");
        assertEquals(404, post.statusCode());
        assertTrue(post.body(), MAPPER.readTree(post.body()).get("error").asText().contains("/nope"));
    }

    @Test
    public void methodsAResourceDoesNotTakeAreJson405s() throws Exception {
        Map<String, HttpRequest.Builder> requests = new LinkedHashMap<>();
        requests.put("POST /health", request("/health").POST(HttpRequest.BodyPublishers.noBody()));
        requests.put("DELETE /metrics", request("/metrics").DELETE());
        requests.put("PUT /file/device", request("/file/device").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        requests.put("POST /file/device/events", request("/file/device/events").POST(HttpRequest.BodyPublishers.noBody()));
        for (Map.Entry<String, HttpRequest.Builder> entry : requests.entrySet()) {
            HttpResponse<String> response = gateway.http.send(entry.getValue());
            assertEquals(entry.getKey() + ": " + response.body(), 405, response.statusCode());
            assertEquals(entry.getKey(), "application/json",
                    response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim());
            assertTrue(entry.getKey(), MAPPER.readTree(response.body()).get("error").asText().contains("not allowed"));
        }
    }

    /** The unknown path's 404 is given before the request's body is read: announced as closing, nothing lost. */
    @Test
    public void anErrorGivenBeforeTheBodyDoesNotLoseTheNextRequest() throws Exception {
        KeepAlive.assertAnsweredBeforeTheBodyWithoutLosingTheNextRequest(gateway.port,
                "POST /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n", "{\"a\":1}", 404);
    }

    @Test
    public void theWebConsoleKeepsItsOwnPages() throws Exception {
        String password = Await.until("the console password written", Duration.ofSeconds(30), () -> {
            try {
                return Files.readString(gateway.dir.resolve("data/console-password")).strip();
            } catch (IOException e) {
                return null;
            }
        });
        String login = "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        // without the login: its own challenge, not a JSON error
        HttpResponse<String> challenge = gateway.http.get("/system/console/bundles");
        assertEquals(401, challenge.statusCode());
        assertTrue(challenge.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        HttpResponse<String> page = Await.until("the console serving its pages", Duration.ofSeconds(30), () -> {
            HttpResponse<String> answer = gateway.http.send(request("/system/console/wasmiot-devices")
                    .header("Authorization", login));
            return answer.statusCode() == 200 ? answer : null;
        });
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        HttpResponse<String> missing = gateway.http.send(request("/system/console/no-such-plugin").header("Authorization", login));
        assertEquals(404, missing.statusCode());
        assertFalse("the console's own 404 page, not the API's JSON: " + missing.body(),
                missing.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + path));
    }
}
