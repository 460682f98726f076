package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /system/health} on the real gateway jar (Felix Health Checks and the gateway's checks):
 * {@code 200} with every check OK on a healthy gateway with simulated devices, the checks of one tag
 * when asked by tag, and {@code 503} with the store check CRITICAL while the store bundle is stopped
 * (through the web console, as an operator would), {@code 200} again once it is started; {@code 503}
 * too while the gateway's checks or Felix Health Checks themselves are stopped.
 */
public class HealthChecksIT {
    private static final Duration SOON = Duration.ofSeconds(40);
    private static final String[] CHECKS = {"Below maxDevices", "Gateway health checks present",
            "Prober not failing wholesale", "Store answers", "Sweeps on schedule", "mDNS on its interfaces"};
    private static GatewayProcess gateway;
    private static SimulatorProcess devices;

    @BeforeClass
    public static void start() {
        gateway = GatewayProcess.start("health-it", GatewayProcess.Config.fast());
        devices = SimulatorProcess.start(gateway.dir, 4, "--name-prefix", "hc-");
        for (int i = 1; i <= 4; i++) {
            String name = String.format("hc-%04d", i);
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

    /** Each check's status by name, from a {@code /system/health} answer. */
    private static Map<String, String> statuses(JsonNode answer) {
        Map<String, String> byName = new TreeMap<>();
        answer.path("results").forEach(result -> byName.put(result.path("name").asText(), result.path("status").asText()));
        return byName;
    }

    @Test
    public void aHealthyGatewayAnswers200WithEveryCheckOkInJson() {
        // the devices are listed before a sweep has checked all four: wait for a sweep that did
        HttpResponse<String> answer = Await.until("every check OK after a sweep of the four devices", SOON, () -> {
            HttpResponse<String> response = gateway.http.get("/system/health");
            return response.statusCode() == 200 && response.body().contains("of 4 checks failed in the last sweep")
                    ? response : null;
        });
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = GatewayProcess.json(answer);
        Map<String, String> statuses = statuses(body);
        assertEquals(java.util.List.of(CHECKS), java.util.List.copyOf(statuses.keySet()));
        statuses.forEach((name, status) -> assertEquals(name, "OK", status));
        assertEquals("OK", body.path("overallResult").asText());
        assertEquals("OK", answer.headers().firstValue("X-Health").orElse(""));
        String prober = body.path("results").findValues("messages").toString();
        assertTrue(prober, prober.contains("0 of 4 checks failed in the last sweep"));
        assertTrue(prober, prober.contains("4 of at most 10000 devices"));
    }

    @Test
    public void aTagSelectsOnlyItsChecks() {
        assertEquals(Map.of("Sweeps on schedule", "OK"), statuses(okAnswer("/system/health?tags=liveness")));
        assertEquals(Map.of("Store answers", "OK"), statuses(okAnswer("/system/health.json?tags=store")));
        assertEquals("every gateway check is a readiness check", java.util.List.of(CHECKS),
                java.util.List.copyOf(statuses(okAnswer("/system/health?tags=readiness")).keySet()));
    }

    private static JsonNode okAnswer(String path) {
        return GatewayProcess.json(awaitStatus(path, 200));
    }

    private static HttpResponse<String> awaitStatus(String path, int status) {
        return Await.until(path + " answering " + status, SOON, () -> {
            HttpResponse<String> response = gateway.http.get(path);
            return response.statusCode() == status ? response : null;
        });
    }

    @Test
    public void otherFormatsAndBadTimeoutsAreRefusedWithAJsonError() {
        for (String path : new String[] {"/system/health?format=html", "/system/health.json?timeout=soon"}) {
            HttpResponse<String> response = gateway.http.get(path);
            assertEquals(path, 400, response.statusCode());
            assertTrue(path + ": " + response.body(), GatewayProcess.json(response).path("error").isTextual());
        }
        HttpResponse<String> byPath = gateway.http.get("/system/health/readiness.json");
        assertEquals(404, byPath.statusCode());
        assertTrue(byPath.body(), GatewayProcess.json(byPath).path("error").isTextual());
    }

    @Test
    public void theStoreStoppedMakesIt503WithTheStoreCheckCriticalAndStartedAgain200() {
        okAnswer("/system/health");
        console("wasmiot.gateway.store", "stop");
        try {
            HttpResponse<String> unavailable = awaitStatus("/system/health", 503);
            assertEquals("1", unavailable.headers().firstValue("Retry-After").orElse(""));
            JsonNode body = GatewayProcess.json(unavailable);
            assertEquals("CRITICAL", body.path("overallResult").asText());
            assertEquals("CRITICAL", statuses(body).get("Store answers"));
            assertEquals("the readiness question gets the same answer", 503,
                    gateway.http.get("/system/health?tags=readiness").statusCode());
        } finally {
            console("wasmiot.gateway.store", "start");
        }
        JsonNode healthy = okAnswer("/system/health");
        assertEquals("OK", statuses(healthy).get("Store answers"));
    }

    @Test
    public void withoutFelixHealthChecksTheStandbyAnswers503InJson() {
        okAnswer("/system/health");
        console("org.apache.felix.healthcheck.core", "stop");
        try {
            HttpResponse<String> standby = awaitStatus("/system/health", 503);
            assertEquals("1", standby.headers().firstValue("Retry-After").orElse(""));
            assertEquals("the health checks are not running yet; retry",
                    GatewayProcess.json(standby).path("error").asText());
        } finally {
            console("org.apache.felix.healthcheck.core", "start");
        }
        okAnswer("/system/health");
    }

    @Test
    public void withoutTheGatewaysChecksItIs503NotAnEmptyOk() {
        okAnswer("/system/health");
        console("wasmiot.gateway.health", "stop");
        try {
            JsonNode body = GatewayProcess.json(awaitStatus("/system/health?tags=readiness", 503));
            assertEquals(Map.of("Gateway health checks present", "CRITICAL"), statuses(body));
        } finally {
            console("wasmiot.gateway.health", "start");
        }
        assertEquals("OK", statuses(okAnswer("/system/health")).get("Gateway health checks present"));
    }

    /** A bundle action through the web console's bundles page, with the generated password. */
    private static void console(String symbolicName, String action) {
        try {
            java.nio.file.Path file = gateway.dir.resolve("data/console-password");
            Await.until("the generated console password", SOON, () -> file.toFile().length() > 0);
            String password = Files.readString(file).strip();
            String credentials = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = gateway.http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.port + "/system/console/bundles/" + symbolicName))
                    .header("Authorization", "Basic " + credentials)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=" + action)));
            assertEquals(action + " " + symbolicName + ": " + response.body(), 200, response.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
