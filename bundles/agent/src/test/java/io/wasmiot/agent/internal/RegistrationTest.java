package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Registration with the gateway (docs/contract.md §8, body of §6): retried with backoff until accepted. */
public class RegistrationTest {
    private DeviceFleet fleet;
    private StandInOrchestrator orchestrator;

    @After
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    @Test
    public void registrationArrivesWhenTheOrchestratorComesUpAfterTheDevice() throws Exception {
        int orchestratorPort = TestHttp.freePort();
        fleet = new DeviceFleet(TestFleets.withoutMdns().build(), FleetListener.NONE);
        Device device = fleet.start(DeviceSettings.healthy("late-gateway", 0,
                java.net.URI.create("http://127.0.0.1:" + orchestratorPort))).get(10, TimeUnit.SECONDS);
        Await.until("two refused attempts", Duration.ofSeconds(5), () -> device.registrationAttempts() >= 2);
        assertEquals(0, device.registrations());

        orchestrator = new StandInOrchestrator(orchestratorPort, 0);

        Await.until("the registration", Duration.ofSeconds(5), () -> device.registrations() == 1);
        assertEquals(1, orchestrator.accepted().size());
        assertReferenceBody(orchestrator.accepted().get(0), "late-gateway", device.port());
        assertEquals("application/json", orchestrator.contentTypes().get(0));
    }

    @Test
    public void a503IsRetriedUntilA2xx() throws Exception {
        orchestrator = new StandInOrchestrator(0, 2);
        fleet = new DeviceFleet(TestFleets.withoutMdns().build(), FleetListener.NONE);
        Device device = fleet.start(DeviceSettings.healthy("busy-gateway", 0, orchestrator.url()))
                .get(10, TimeUnit.SECONDS);

        Await.until("the registration", Duration.ofSeconds(5), () -> device.registrations() == 1);

        assertEquals(3, orchestrator.requests());
        assertEquals(3, device.registrationAttempts());
        assertReferenceBody(orchestrator.accepted().get(0), "busy-gateway", device.port());
    }

    @Test
    public void manyDevicesRegisterThroughTheBoundedSenders() throws Exception {
        orchestrator = new StandInOrchestrator(0, 0);
        fleet = new DeviceFleet(TestFleets.withoutMdns().maxConcurrentRegistrations(2).build(), FleetListener.NONE);
        for (int i = 0; i < 30; i++) {
            fleet.start(DeviceSettings.healthy("many-" + i, 0, orchestrator.url())).get(10, TimeUnit.SECONDS);
        }

        Await.until(() -> "30 registrations, got " + orchestrator.accepted().size(), Duration.ofSeconds(10),
                () -> orchestrator.accepted().size() == 30);
        assertEquals(30, orchestrator.requests());
    }

    @Test
    public void backoffDoublesFromTheInitialPauseUpToTheMaximum() {
        OrchestratorClient client = new OrchestratorClient(null, Runnable::run, null, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(5));
        long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            long pause = client.backoff(attempt).toMillis();
            long base = expected[attempt - 1];
            assertTrue("attempt " + attempt + ": " + pause, pause >= base && pause <= base + base / 10);
        }
    }

    @Test
    public void baseUrlsAreCheckedAndLoseTheirTrailingSlash() {
        assertEquals("http://gw:3000", OrchestratorClient.parseBaseUrl("http://gw:3000/").toString());
        assertEquals("https://gw/api", OrchestratorClient.parseBaseUrl(" https://gw/api ").toString());
        for (String bad : List.of("gw:3000", "ftp://gw", "http://", "/relative", "http://bad host")) {
            try {
                OrchestratorClient.parseBaseUrl(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // expected
            }
        }
    }

    /** {"name","type","port","properties":{"path","tls","address"},"addresses":[..],"host","protocol"}. */
    static void assertReferenceBody(JsonNode body, String name, int port) {
        assertEquals(name, body.get("name").asText());
        assertEquals("webthing", body.get("type").asText());
        assertEquals(port, body.get("port").asInt());
        assertTrue(body.get("port").isInt());
        assertEquals("/", body.at("/properties/path").asText());
        assertEquals("0", body.at("/properties/tls").asText());
        assertTrue(body.at("/properties/tls").isTextual());
        assertEquals("127.0.0.1", body.at("/properties/address").asText());
        assertEquals(1, body.get("addresses").size());
        assertEquals("127.0.0.1", body.get("addresses").get(0).asText());
        assertEquals("127.0.0.1", body.get("host").asText());
        assertEquals("http", body.get("protocol").asText());
        assertEquals(7, body.size());
    }
}
