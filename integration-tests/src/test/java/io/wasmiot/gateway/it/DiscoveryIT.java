package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The discovery pipeline end to end (docs/contract.md §2-§7): the real gateway jar and simulated devices in
 * separate processes, real mDNS on the namespace's loopback, real HTTP. Short intervals come from
 * {@code .cfg} files; every wait is for a condition, with a deadline.
 */
public class DiscoveryIT {
    private static final Duration SOON = Duration.ofSeconds(30);
    private static GatewayProcess gateway;
    private final List<SimulatorProcess> simulators = new ArrayList<>();

    @BeforeClass
    public static void startGateway() {
        // goodbyeGrace was 8 s; a return or a move comes within about 1 s (2.6 s the worst seen in CI, FaultsIT)
        gateway = GatewayProcess.start("discovery-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "goodbyeGrace", 5));
    }

    @AfterClass
    public static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Before
    public void wipe() {
        assertEquals(200, gateway.http.delete("/file/device").statusCode());
    }

    @After
    public void stopSimulators() {
        simulators.forEach(SimulatorProcess::close);
    }

    private SimulatorProcess simulator(int devices, String prefix, String... extra) {
        List<String> args = new ArrayList<>(List.of("--name-prefix", prefix));
        args.addAll(List.of(extra));
        SimulatorProcess simulator = SimulatorProcess.start(gateway.dir, devices, args.toArray(String[]::new));
        simulators.add(simulator);
        return simulator;
    }

    private static String name(String prefix, int index) {
        return String.format("%s%04d", prefix, index);
    }

    private static JsonNode awaitHealthy(String name) {
        return Await.until(name + " listed active with health", SOON, () -> gateway.healthyDevice(name));
    }

    private static void awaitGone(String name, Duration timeout) {
        Await.until(name + " forgotten", timeout, () -> gateway.device(name) == null);
    }

    @Test
    public void manyDevicesAreListedActiveWithDescriptionAndHealth() {
        SimulatorProcess devices = simulator(30, "many-");
        for (int i = 1; i <= 30; i++) {
            JsonNode device = awaitHealthy(name("many-", i));
            assertTrue(device.get("_id").asText().matches("[0-9a-f]{24}"));
            assertEquals("127.0.0.1", device.at("/communication/addresses/0").asText());
            assertEquals(devices.port(name("many-", i)), device.at("/communication/port").asInt());
            assertTrue(device.at("/description/platform/memory/bytes").asLong() > 0);
            assertTrue(device.at("/health/report/memoryUsage").isNumber());
            assertEquals("mdns", device.get("source").asText());
            assertEquals("introduced", device.at("/statusLog/0/reason").asText());
        }
        long listed = Stream.of(gateway.devices().findValuesAsText("name").toArray(String[]::new))
                .filter(name -> name.startsWith("many-")).count();
        assertEquals(30, listed);
    }

    @Test
    public void deviceWhoseDescriptionFailsIsNeverListed() {
        simulator(1, "bad-", "--fault", "malformed");
        Await.until("the gateway gave up on bad-0001", SOON,
                () -> gateway.log().contains("Device bad-0001 not listed: description query failed 2 times"));
        assertNull(gateway.device("bad-0001"));
    }

    @Test
    public void goodbyeWithoutReturnForgetsTheDeviceAfterTheGrace() {
        SimulatorProcess devices = simulator(1, "bye-");
        awaitHealthy("bye-0001");
        devices.command("goodbye bye-0001", "GONE");
        awaitGone("bye-0001", Duration.ofSeconds(40));
        // The core deletes the row, then logs: the list can show the device gone a moment before the line.
        Await.until("the forget logged with its reason", SOON, () -> gateway.log()
                .matches("(?s).*bye-0001 \\([0-9a-f]{24}\\) forgotten: mDNS goodbye, not back within 5 s.*"));
    }

    @Test
    public void goodbyeAndReturnWithinTheGraceKeepsTheId() {
        SimulatorProcess devices = simulator(1, "back-");
        String id = awaitHealthy("back-0001").get("_id").asText();
        devices.command("goodbye back-0001", "GONE");
        Await.until("the gateway saw the goodbye", Duration.ofSeconds(30),
                () -> gateway.log().contains("Device back-0001 (" + id + ") said goodbye"));
        devices.command("return back-0001", "UP");
        Await.until("the gateway saw it come back", Duration.ofSeconds(30),
                () -> gateway.log().contains("Device back-0001 (" + id + ") is back within the goodbye grace"));
        assertEquals(id, awaitHealthy("back-0001").get("_id").asText());
        assertFalse(gateway.log().contains("back-0001 (" + id + ") forgotten"));
    }

    @Test
    public void vanishedDeviceTurnsInactiveThenIsForgotten() {
        SimulatorProcess devices = simulator(1, "gone-");
        awaitHealthy("gone-0001");
        devices.command("vanish gone-0001", "VANISHED");
        JsonNode inactive = Await.until("gone-0001 inactive", SOON, () -> {
            JsonNode device = gateway.device("gone-0001");
            return device != null && "inactive".equals(device.get("status").asText()) ? device : null;
        });
        assertTrue(inactive.at("/statusLog/0/reason").asText().contains("health checks failed"));
        assertTrue(inactive.at("/health/report").isNull());
        awaitGone("gone-0001", SOON);
        Await.until("the forget logged with its reason", SOON,
                () -> gateway.log().contains("forgotten: inactive for more than 3 s"));
    }

    @Test
    public void movedDeviceIsUpdatedNotDuplicated() {
        SimulatorProcess devices = simulator(1, "move-");
        String id = awaitHealthy("move-0001").get("_id").asText();
        int newPort = devices.basePort + 50;
        devices.command("move move-0001 " + newPort, "MOVED");
        JsonNode moved = Await.until("move-0001 at its new port", Duration.ofSeconds(40), () -> {
            JsonNode device = gateway.healthyDevice("move-0001");
            return device != null && device.at("/communication/port").asInt() == newPort ? device : null;
        });
        assertEquals(id, moved.get("_id").asText());
        assertEquals(1, gateway.devices().findValuesAsText("name").stream().filter("move-0001"::equals).count());
    }

    @Test
    public void registerOnlyDevicesAreListed() {
        simulator(3, "reg-", "--no-mdns", "--orchestrator-url", "http://127.0.0.1:" + gateway.port);
        for (int i = 1; i <= 3; i++) {
            assertEquals("register", awaitHealthy(name("reg-", i)).get("source").asText());
        }
    }

    @Test
    public void addressesThatFailAreDroppedWhenAnotherWorks() {
        SimulatorProcess devices = simulator(1, "fall-", "--no-mdns");
        String body = "{\"name\":\"fallback\",\"port\":" + devices.port(name("fall-", 1))
                + ",\"addresses\":[\"127.0.0.2\",\"127.0.0.1\"],\"type\":\"webthing\",\"unknownField\":{\"x\":1}}";
        assertEquals(204, gateway.http.post("/file/device/discovery/register", "application/json", body).statusCode());
        JsonNode device = awaitHealthy("fallback");
        assertEquals("[\"127.0.0.1\"]", device.at("/communication/addresses").toString());
    }

    @Test
    public void registerRefusesBadInputWithClearErrors() {
        assertRefused(400, "{not json", "malformed JSON");
        assertRefused(400, "[1,2]", "JSON object");
        assertRefused(400, "{\"name\":\"x\",\"port\":70000}", "'port' outside 1-65535");
        assertRefused(400, "{\"name\":\"x\",\"port\":\"http\"}", "'port' must be a number");
        assertRefused(400, "{\"name\":\"x\",\"addresses\":[\"224.0.0.251\"]}", "multicast");
        assertRefused(400, "{\"name\":\"x\",\"addresses\":[\"0.0.0.0\"]}", "unspecified");
        assertRefused(400, "{\"name\":\"x\",\"addresses\":[\"255.255.255.255\"]}", "broadcast");
        assertRefused(400, "{\"name\":\"x\",\"addresses\":[\"no such host!\"]}", "not an IP address or host name");
        StringBuilder many = new StringBuilder("{\"name\":\"x\",\"addresses\":[");
        for (int i = 1; i <= 17; i++) {
            many.append(i > 1 ? "," : "").append("\"127.0.0.").append(i).append('"');
        }
        assertRefused(400, many.append("]}").toString(), "at most 16 addresses");
        assertRefused(400, "{\"name\":\"evil\\nname\"}", "control characters");
        assertRefused(413, "{\"name\":\"" + "x".repeat(70_000) + "\"}", "over the limit");
        assertEquals(404, gateway.http.get("/file/device/x").statusCode());
    }

    private static void assertRefused(int status, String body, String reasonPart) {
        HttpResponse<String> response = gateway.http.post("/discovery/register", "application/json", body);
        assertEquals(body.length() > 200 ? "oversized body" : body, status, response.statusCode());
        String error = GatewayProcess.json(response).path("error").asText();
        assertTrue("'" + error + "' should mention '" + reasonPart + "'", error.contains(reasonPart));
    }

    @Test
    public void brakeKeepsDevicesActiveWhenMostCannotBeReached() throws Exception {
        SimulatorProcess devices = simulator(4, "brake-");
        for (int i = 1; i <= 4; i++) {
            awaitHealthy(name("brake-", i));
        }
        double brakesBefore = Double.parseDouble(gateway.metric("wasmiot_health_brakes_total"));
        // What a fault of the gateway's own network looks like: connections that never complete. A
        // listening socket with a full backlog drops further SYNs, so connects time out.
        List<java.net.Socket> backlog = new ArrayList<>();
        List<java.net.ServerSocket> blackholes = new ArrayList<>();
        try {
            for (int i = 1; i <= 4; i++) {
                devices.command("vanish " + name("brake-", i), "VANISHED");
                java.net.ServerSocket hole = new java.net.ServerSocket();
                hole.setReuseAddress(true);
                hole.bind(new java.net.InetSocketAddress("127.0.0.1", devices.port(name("brake-", i))), 1);
                blackholes.add(hole);
                for (int c = 0; c < 2; c++) {
                    backlog.add(new java.net.Socket("127.0.0.1", devices.port(name("brake-", i))));
                }
            }
            // Two failures make a device inactive with this configuration; wait for several more sweeps.
            Await.until("four more braked sweeps", SOON,
                    () -> Double.parseDouble(gateway.metric("wasmiot_health_brakes_total")) >= brakesBefore + 4);
            for (int i = 1; i <= 4; i++) {
                JsonNode device = gateway.device(name("brake-", i));
                assertEquals("active", device.get("status").asText());
                assertTrue(device.get("failedHealthCheckCount").asInt() >= 2);
                assertTrue(device.at("/health/report").isNull());
            }
            assertTrue(gateway.log().contains("Brake: 4 of 4 devices could not be reached in one sweep"));
        } finally {
            for (java.net.Socket socket : backlog) {
                socket.close();
            }
            for (java.net.ServerSocket hole : blackholes) {
                hole.close();
            }
        }
    }

    @Test
    public void devicesThatRefuseConnectionsAreNotBraked() {
        SimulatorProcess devices = simulator(4, "dead-");
        for (int i = 1; i <= 4; i++) {
            awaitHealthy(name("dead-", i));
        }
        for (int i = 1; i <= 4; i++) {
            devices.command("vanish " + name("dead-", i), "VANISHED");
        }
        // A refused connection shows the gateway's network works: these devices really are down.
        for (int i = 1; i <= 4; i++) {
            String dead = name("dead-", i);
            Await.until(dead + " inactive", SOON, () -> {
                JsonNode device = gateway.device(dead);
                return device == null || "inactive".equals(device.get("status").asText());
            });
            awaitGone(dead, SOON);
        }
    }

    @Test
    public void blacklistedDeviceIsInactiveAndNotChecked() {
        SimulatorProcess devices = simulator(1, "black-");
        String id = awaitHealthy("black-0001").get("_id").asText();
        HttpResponse<String> answer = gateway.http.post("/file/device/" + id + "/blacklist", "application/json", "");
        assertEquals(200, answer.statusCode());
        assertEquals(id, GatewayProcess.json(answer).get("deviceId").asText());
        JsonNode device = gateway.device(id);
        assertEquals("inactive", device.get("status").asText());
        assertEquals("blacklisted", device.at("/statusLog/0/reason").asText());
        assertTrue(device.get("blacklisted").asBoolean());

        int checks = checks(devices, "black-0001");
        int sweeps = (int) Double.parseDouble(gateway.metric("wasmiot_health_sweeps_total"));
        Await.until("three more sweeps", SOON,
                () -> Double.parseDouble(gateway.metric("wasmiot_health_sweeps_total")) >= sweeps + 3);
        assertEquals("a blacklisted device is not checked", checks, checks(devices, "black-0001"));

        assertEquals(200, gateway.http.post("/file/device/black-0001/unblacklist", "application/json", "").statusCode());
        JsonNode back = awaitHealthy("black-0001");
        assertFalse(back.has("blacklisted"));
        assertEquals(404, gateway.http.post("/file/device/nobody/blacklist", "application/json", "").statusCode());
    }

    private static int checks(SimulatorProcess devices, String name) {
        String[] answer = devices.command("checks " + name, "CHECKS").split(" ");
        return Integer.parseInt(answer[2]);
    }

    @Test
    public void wipeForgetsEverythingAndStillAdvertisingDevicesComeBack() {
        simulator(3, "wipe-");
        Set<String> ids = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(awaitHealthy(name("wipe-", i)).get("_id").asText());
        }
        HttpResponse<String> wipe = gateway.http.delete("/file/device");
        assertEquals(200, wipe.statusCode());
        assertTrue(GatewayProcess.json(wipe).get("deletedCount").asInt() >= 3);
        for (int i = 1; i <= 3; i++) {
            JsonNode back = awaitHealthy(name("wipe-", i));
            assertFalse("a wiped device comes back as new", ids.contains(back.get("_id").asText()));
        }
    }

    @Test
    public void eventStreamCarriesTheLifecycle() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> stream = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/file/device/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        Thread reader = new Thread(() -> response.body().forEach(events::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        SimulatorProcess devices = simulator(1, "sse-");
        awaitHealthy("sse-0001");
        Await.until("ADDED event", SOON, () -> events.stream().anyMatch(
                line -> line.startsWith("data:") && line.contains("\"type\":\"ADDED\"") && line.contains("sse-0001")));
        devices.command("vanish sse-0001", "VANISHED");
        Await.until("STATUS_CHANGED to inactive", SOON, () -> events.stream().anyMatch(line -> line.contains(
                "\"type\":\"STATUS_CHANGED\"") && line.contains("\"status\":\"inactive\"")
                && line.contains("\"previousStatus\":\"active\"")));
        Await.until("REMOVED event with its reason", SOON, () -> events.stream().anyMatch(line -> line.contains(
                "\"type\":\"REMOVED\"") && line.contains("sse-0001") && line.contains("inactive for more than")));
        assertTrue(events.contains("event: ADDED"));
    }

    @Test
    public void hostileDevicesDoNotDisturbTheOthers() {
        SimulatorProcess devices = simulator(6, "mix-");
        for (int i = 1; i <= 6; i++) {
            awaitHealthy(name("mix-", i));
        }
        long started = System.nanoTime();
        int[] okBefore = new int[7];
        for (int i = 4; i <= 6; i++) {
            okBefore[i] = gateway.device(name("mix-", i)).get("okHealthCheckCount").asInt();
        }
        devices.command("fault mix-0001 slow", "FAULT");
        devices.command("fault mix-0002 malformed", "FAULT");
        devices.command("fault mix-0003 oversized", "FAULT");
        for (int i = 1; i <= 3; i++) {
            String hostile = name("mix-", i);
            Await.until(hostile + " inactive", SOON, () -> {
                JsonNode device = gateway.device(hostile);
                return device != null && "inactive".equals(device.get("status").asText());
            });
        }
        // Meanwhile the healthy ones kept their rhythm (one check a second), all answered.
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        for (int i = 4; i <= 6; i++) {
            JsonNode healthy = gateway.healthyDevice(name("mix-", i));
            assertNotNull(name("mix-", i) + " still active", healthy);
            assertEquals(0, healthy.get("failedHealthCheckCount").asInt());
            int checks = healthy.get("okHealthCheckCount").asInt() - okBefore[i];
            assertTrue(name("mix-", i) + ": " + checks + " checks in " + seconds + " s", checks >= seconds - 2);
        }
        assertEquals(200, gateway.http.get("/health").statusCode());
    }
}
