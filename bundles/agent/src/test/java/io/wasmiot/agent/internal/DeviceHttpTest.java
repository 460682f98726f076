package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertThrows;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

/** A device's HTTP answers (docs/contract.md §8), on a real port, without mDNS. */
public class DeviceHttpTest {
    private static final String DESCRIPTION = "/.well-known/wasmiot-device-description";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final TestHttp http = new TestHttp();
    private DeviceFleet fleet;
    private Device device;

    @Before
    public void startDevice() throws Exception {
        fleet = new DeviceFleet(TestFleets.withoutMdns().build(), FleetListener.NONE);
        device = fleet.start(TestFleets.device("dev-1")).get(10, TimeUnit.SECONDS);
    }

    @After
    public void closeFleet() {
        fleet.close();
    }

    @Test
    public void descriptionHasThePythonSupervisorShape() throws Exception {
        HttpResponse<String> response = http.get(device.port(), DESCRIPTION);

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode description = TestHttp.json(response);
        assertTrue(description.at("/platform/memory/bytes").canConvertToLong());
        assertTrue(description.at("/platform/memory/bytes").asLong() > 0);
        assertFalse(description.at("/platform/cpu/humanReadableName").asText().isBlank());
        assertTrue(description.at("/platform/cpu/clockSpeed/Hz").isNumber());
        assertTrue(description.get("supervisorInterfaces").isArray());
    }

    @Test
    public void descriptionFromAFileIsServedAsWritten() throws Exception {
        Path file = folder.newFile("description.json").toPath();
        String text = "{\"platform\":{\"cpu\":{\"architecture\":\"riscv\"}},\"custom\":[1,2]}";
        Files.writeString(file, text);
        Device fromFile = fleet.start(new DeviceSettings("dev-file", 0, null, Duration.ofSeconds(900), file,
                FaultMode.HEALTHY)).get(10, TimeUnit.SECONDS);

        HttpResponse<String> response = http.get(fromFile.port(), DESCRIPTION);

        assertEquals(200, response.statusCode());
        assertEquals(text, response.body());
    }

    @Test
    public void aDescriptionFileThatIsNotAJsonObjectIsRefusedUpFront() throws Exception {
        Path file = folder.newFile("array.json").toPath();
        Files.writeString(file, "[1, 2]");

        assertThrows(IllegalArgumentException.class, () -> fleet.create(new DeviceSettings("dev-bad", 0, null,
                Duration.ofSeconds(900), file, FaultMode.HEALTHY)));
        assertFalse(fleet.device("dev-bad").isPresent());
    }

    @Test
    public void healthReportsFractionsUptimeAndWhetherTheGatewayIsKnown() throws Exception {
        HttpResponse<String> response = http.get(device.port(), "/health");

        assertEquals(200, response.statusCode());
        assertEquals("false", response.headers().firstValue("Custom-Orchestrator-Set").orElse(null));
        JsonNode health = TestHttp.json(response);
        assertFraction(health.get("cpuUsage"));
        assertFraction(health.get("memoryUsage"));
        assertTrue(health.get("uptime").isNumber());
        assertTrue(health.get("uptime").asLong() >= 0);
    }

    @Test
    public void registerSetsTheGatewayUrl() throws Exception {
        HttpResponse<String> response = http.post(device.port(), "/register", "{\"url\":\"http://127.0.0.1:3000/\"}");

        assertEquals(200, response.statusCode());
        assertEquals("success", TestHttp.json(response).get("status").asText());
        assertEquals("http://127.0.0.1:3000", device.gatewayUrl().toString());
        assertEquals("true", http.get(device.port(), "/health").headers()
                .firstValue("Custom-Orchestrator-Set").orElse(null));
    }

    @Test
    public void aConfiguredOrchestratorCountsAsKnown() throws Exception {
        Device configured = fleet.start(DeviceSettings.healthy("dev-configured", 0,
                java.net.URI.create("http://127.0.0.1:9"))).get(10, TimeUnit.SECONDS);

        assertEquals("true", http.get(configured.port(), "/health").headers()
                .firstValue("Custom-Orchestrator-Set").orElse(null));
    }

    @Test
    public void registerRefusesBadBodiesWith400() throws Exception {
        for (String body : new String[] {"not json", "", "[]", "{}", "{\"url\": 5}", "{\"url\": \"ftp://x\"}",
                "{\"url\": \"relative/path\"}", "{\"url\": \"http://\"}"}) {
            HttpResponse<String> response = http.post(device.port(), "/register", body);

            assertEquals("body " + body, 400, response.statusCode());
            assertTrue("body " + body, TestHttp.json(response).get("error").isTextual());
        }
        assertEquals(null, device.gatewayUrl());
    }

    @Test
    public void aRequestBodyOver64KiBIs413() throws Exception {
        int size = 64 * 1024 + 1;
        byte[] head = TestHttp.ascii("POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + size + "\r\n\r\n");
        byte[] request = new byte[head.length + size];
        System.arraycopy(head, 0, request, 0, head.length);
        java.util.Arrays.fill(request, head.length, request.length, (byte) ' ');

        assertEquals("HTTP/1.1 413 Request Entity Too Large", TestHttp.rawStatusLine(device.port(), request));
        // and through a regular client, with the JSON error
        HttpResponse<String> response = http.post(device.port(), "/register", "{\"url\":\"" + "x".repeat(size) + "\"}");
        assertEquals(413, response.statusCode());
        assertTrue(TestHttp.json(response).get("error").asText().contains("65536"));
    }

    @Test
    public void aBodyAtTheLimitIsRead() throws Exception {
        String url = "http://127.0.0.1:3000";
        String body = "{\"url\":\"" + url + "\"}";
        String padded = body + " ".repeat(64 * 1024 - body.length());

        HttpResponse<String> response = http.post(device.port(), "/register", padded);

        assertEquals(200, response.statusCode());
    }

    @Test
    public void anythingElseIs404AndAWrongMethodIs405() throws Exception {
        HttpResponse<String> missing = http.get(device.port(), "/nothing/here");
        assertEquals(404, missing.statusCode());
        assertTrue(TestHttp.json(missing).get("error").isTextual());

        HttpResponse<String> wrongMethod = http.post(device.port(), "/health", "{}");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(null));

        HttpResponse<String> getRegister = http.get(device.port(), "/register");
        assertEquals(405, getRegister.statusCode());
    }

    @Test
    public void aMalformedRequestLineIs400() throws Exception {
        assertTrue(TestHttp.rawStatusLine(device.port(), TestHttp.ascii("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400"));
    }

    @Test
    public void healthChecksAreCountedAndAQueryStringIsIgnored() throws Exception {
        http.get(device.port(), "/health");
        http.get(device.port(), "/health?from=gateway");
        http.get(device.port(), DESCRIPTION);

        assertEquals(2, device.healthChecks());
    }

    @Test
    public void theDescriptionIsGeneratedOncePerFleet() throws Exception {
        Device other = fleet.start(TestFleets.device("dev-2")).get(10, TimeUnit.SECONDS);

        assertTrue(device.description() == other.description());
        assertEquals(new String(device.description(), StandardCharsets.UTF_8),
                http.get(other.port(), DESCRIPTION).body());
    }

    @Test
    public void closingTheFleetClosesThePorts() throws Exception {
        int port = device.port();
        assertTrue(TestHttp.accepts(port));

        fleet.close();

        assertFalse(TestHttp.accepts(port));
        assertEquals(DeviceState.CLOSED, device.state());
    }

    private static void assertFraction(JsonNode value) {
        assertTrue(String.valueOf(value), value != null && value.isNumber());
        assertTrue(String.valueOf(value), value.asDouble() >= 0 && value.asDouble() <= 1);
    }
}
