package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Each fault mode's behaviour on the wire (docs/contract.md §8). */
public class FaultModeTest {
    private static final String DESCRIPTION = "/.well-known/wasmiot-device-description";

    private final TestHttp http = new TestHttp();
    private final Map<String, FaultMode> fired = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private DeviceFleet fleet;
    private StandInOrchestrator orchestrator;

    @After
    public void close() {
        background.shutdownNow();
        if (fleet != null) {
            fleet.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private Device start(String name, FaultMode mode) throws Exception {
        if (fleet == null) {
            fleet = new DeviceFleet(TestFleets.withoutMdns().build(), (device, m) -> fired.put(device.name(), m));
        }
        return fleet.start(TestFleets.device(name).withFaultMode(mode)).get(10, TimeUnit.SECONDS);
    }

    @Test
    public void slowDelaysEveryAnswerWithoutHoldingTheEventLoop() throws Exception {
        // One event loop thread serves both devices: a blocking delay would hold the healthy one too.
        Device slow = start("slow", FaultMode.SLOW);
        Device healthy = start("healthy", FaultMode.HEALTHY);
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> slowAnswer = CompletableFuture.supplyAsync(() -> get(slow, "/health"),
                background);
        Await.until("the slow request to arrive", Duration.ofSeconds(5), () -> slow.healthChecks() == 1);

        HttpResponse<String> quick = http.get(healthy.port(), "/health");

        assertEquals(200, quick.statusCode());
        assertFalse("the slow answer came before its delay", slowAnswer.isDone());
        HttpResponse<String> delayed = slowAnswer.get(10, TimeUnit.SECONDS);
        assertEquals(200, delayed.statusCode());
        assertTrue(TestHttp.json(delayed).has("cpuUsage"));
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(600).toNanos());
        // the description is delayed too
        long descriptionStarted = System.nanoTime();
        assertEquals(200, http.get(slow.port(), DESCRIPTION).statusCode());
        assertTrue(System.nanoTime() - descriptionStarted >= Duration.ofMillis(600).toNanos());
    }

    @Test
    public void flappingAnswersInRunsOfHealthyAndFailing() throws Exception {
        Device flapping = start("flapping", FaultMode.FLAPPING);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(http.get(flapping.port(), "/health").statusCode());
        }

        assertEquals(List.of(200, 200, 500, 500, 200, 200), statuses);
        assertEquals(200, http.get(flapping.port(), DESCRIPTION).statusCode());
    }

    @Test
    public void malformedAnswers200WithABodyThatIsNotJson() throws Exception {
        Device malformed = start("malformed", FaultMode.MALFORMED);
        for (String path : new String[] {"/health", DESCRIPTION}) {
            HttpResponse<String> response = http.get(malformed.port(), path);

            assertEquals(200, response.statusCode());
            assertThrows(IOException.class, () -> TestHttp.JSON.readTree(response.body()));
        }
    }

    @Test
    public void oversizedAnswers200With1MiBOfJson() throws Exception {
        Device oversized = start("oversized", FaultMode.OVERSIZED);
        for (String path : new String[] {"/health", DESCRIPTION}) {
            HttpResponse<String> response = http.get(oversized.port(), path);

            assertEquals(200, response.statusCode());
            assertEquals(1 << 20, response.body().length());
            assertTrue(TestHttp.json(response).isObject());
        }
    }

    @Test
    public void http500AnswersEveryRouteWithAJsonError() throws Exception {
        Device failing = start("failing", FaultMode.HTTP500);
        for (String path : new String[] {"/health", DESCRIPTION}) {
            HttpResponse<String> response = http.get(failing.port(), path);

            assertEquals(500, response.statusCode());
            assertTrue(TestHttp.json(response).get("error").isTextual());
        }
        assertEquals(500, http.post(failing.port(), "/register", "{\"url\":\"http://127.0.0.1:1\"}").statusCode());
        assertEquals("a failing device takes no gateway URL", null, failing.gatewayUrl());
    }

    @Test
    public void vanishClosesThePortAfterFaultAfterWithoutAGoodbye() throws Exception {
        Device vanishing = start("vanishing", FaultMode.VANISH);
        int port = vanishing.port();
        assertEquals(200, http.get(port, "/health").statusCode());

        Await.until("the vanish to fire", Duration.ofSeconds(5), () -> fired.containsKey("vanishing"));

        assertEquals(DeviceState.VANISHED, vanishing.state());
        assertFalse(TestHttp.accepts(port));
        assertEquals("one shot: it answers normally once back", FaultMode.HEALTHY, vanishing.faultMode());
        vanishing.comeBack().get(10, TimeUnit.SECONDS);
        assertEquals(port, vanishing.port());
        assertEquals(200, http.get(port, "/health").statusCode());
    }

    @Test
    public void goodbyeClosesThePortAfterFaultAfter() throws Exception {
        Device leaving = start("leaving", FaultMode.GOODBYE);
        int port = leaving.port();

        Await.until("the goodbye to fire", Duration.ofSeconds(5), () -> fired.containsKey("leaving"));

        assertEquals(DeviceState.GONE, leaving.state());
        assertFalse(TestHttp.accepts(port));
        assertThrows(Exception.class, () -> leaving.vanish().get(5, TimeUnit.SECONDS));
    }

    @Test
    public void moveListensOnANewPortAndRegistersItThere() throws Exception {
        orchestrator = new StandInOrchestrator(0, 0);
        fleet = new DeviceFleet(TestFleets.withoutMdns().basePort(TestHttp.freePort()).build(),
                (device, m) -> fired.put(device.name(), m));
        Device moving = fleet.start(DeviceSettings.healthy("moving", TestHttp.freePort(), orchestrator.url())
                .withFaultMode(FaultMode.MOVE)).get(10, TimeUnit.SECONDS);
        int oldPort = moving.port();
        Await.until("the first registration", Duration.ofSeconds(5), () -> moving.registrations() == 1);

        Await.until("the move to fire", Duration.ofSeconds(5), () -> fired.containsKey("moving"));

        int newPort = moving.port();
        assertNotEquals(oldPort, newPort);
        assertEquals(DeviceState.UP, moving.state());
        assertFalse(TestHttp.accepts(oldPort));
        assertEquals(200, http.get(newPort, "/health").statusCode());
        Await.until("the registration of the new port", Duration.ofSeconds(5), () -> moving.registrations() == 2);
        JsonNode body = orchestrator.accepted().get(1);
        assertEquals(newPort, body.get("port").asInt());
        assertEquals("moving", body.get("name").asText());
    }

    @Test
    public void aFaultModeCanChangeWhileRunning() throws Exception {
        Device device = start("changing", FaultMode.HEALTHY);
        assertEquals(200, http.get(device.port(), "/health").statusCode());

        device.changeFaultMode(FaultMode.HTTP500).get(5, TimeUnit.SECONDS);
        assertEquals(500, http.get(device.port(), "/health").statusCode());

        device.changeFaultMode(FaultMode.HEALTHY).get(5, TimeUnit.SECONDS);
        assertEquals(200, http.get(device.port(), "/health").statusCode());
        assertEquals(3, device.healthChecks());
    }

    @Test
    public void aTimedFaultSetWhileRunningFiresAfterFaultAfter() throws Exception {
        Device device = start("later", FaultMode.HEALTHY);

        device.changeFaultMode(FaultMode.VANISH).get(5, TimeUnit.SECONDS);
        assertEquals(DeviceState.UP, device.state());

        Await.until("the vanish to fire", Duration.ofSeconds(5), () -> device.state() == DeviceState.VANISHED);
        assertEquals(FaultMode.VANISH, fired.get("later"));
    }

    private HttpResponse<String> get(Device device, String path) {
        try {
            return http.get(device.port(), path);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
