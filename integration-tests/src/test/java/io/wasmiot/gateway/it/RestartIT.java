package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kill -9 of the gateway process and a start on the same data folder (issue 7, "Restart"): the
 * devices are listed from the first answer with their {@code _id}s, checked again, and the ones
 * that went away meanwhile age out by the normal rules; a kill in the middle of heavy store writes
 * leaves a database that opens and holds only whole, valid device documents.
 */
public class RestartIT {
    private static final Duration SOON = Duration.ofSeconds(40);
    private final List<AutoCloseable> running = new ArrayList<>();
    private GatewayProcess gateway;

    @After
    public void stopAll() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable process : running) {
            process.close();
        }
    }

    /**
     * The store's default URL. H2's own default WRITE_DELAY (500 ms) acknowledged a commit before it
     * reached the file, and a kill -9 within that delay lost it (found by this test); the store now
     * sets {@code WRITE_DELAY=0}. {@code -Dwasmiot.restart.h2Default=true} runs the tests with
     * H2's default delay instead, to show the loss.
     */
    static GatewayProcess.Config config() {
        GatewayProcess.Config config = GatewayProcess.Config.fast();
        if (Boolean.getBoolean("wasmiot.restart.h2Default")) {
            config.set("wasmiot.gateway.store", "jdbcUrl", "jdbc:h2:${wasmiot.data.dir}/devices;WRITE_DELAY=500");
        }
        return config;
    }

    @Test
    public void devicesAreListedAtOnceRecheckedAndTheGoneOnesAgeOut() {
        gateway = GatewayProcess.start("restart-it", config());
        SimulatorProcess devices = simulator(10, "rst-");
        Map<String, String> ids = new TreeMap<>();
        for (int i = 1; i <= 10; i++) {
            String name = name("rst-", i);
            ids.put(name, Await.until(name + " healthy", SOON, () -> gateway.healthyDevice(name)).get("_id").asText());
        }

        gateway.kill();
        Instant killed = Instant.now();
        // While the gateway is down: one device leaves politely, one crashes.
        devices.command("goodbye rst-0009", "GONE");
        devices.command("vanish rst-0010", "VANISHED");

        long started = System.nanoTime();
        gateway = gateway.restart();
        HttpResponse<String> first = Await.until("the restarted gateway's first device list", Duration.ofSeconds(60),
                () -> {
                    HttpResponse<String> answer = gateway.http.get("/file/device");
                    return answer.statusCode() == 200 ? answer : null;
                });
        double firstListSeconds = (System.nanoTime() - started) / 1e9;
        Map<String, String> firstIds = new TreeMap<>();
        for (JsonNode device : GatewayProcess.json(first)) {
            firstIds.put(device.get("name").asText(), device.get("_id").asText());
        }
        System.out.printf("RestartIT: process start to first GET /file/device answer %.2f s, %d devices listed%n",
                firstListSeconds, firstIds.size());
        assertEquals("the first answer after the restart lists every stored device with its _id", ids, firstIds);
        gateway.awaitReady();

        // The live ones are checked again by the new process, with their _id.
        for (int i = 1; i <= 8; i++) {
            String name = name("rst-", i);
            JsonNode checked = Await.until(name + " checked after the restart", SOON, () -> {
                JsonNode device = gateway.healthyDevice(name);
                return device != null && Instant.parse(device.at("/health/timeOfQuery").asText()).isAfter(killed)
                        ? device : null;
            });
            assertEquals(ids.get(name), checked.get("_id").asText());
        }
        // The two that went away while it was down: inactive after 2 failed checks, forgotten 3 s later.
        for (String gone : List.of("rst-0009", "rst-0010")) {
            String id = ids.get(gone);
            Await.until(gone + " aged out", SOON, () -> gateway.device(gone) == null);
            String log = gateway.log();
            assertTrue(gone + " made inactive, logged", log.contains("Device " + gone + " (" + id + ") is now inactive"));
            assertTrue(gone + " forgotten, logged",
                    log.contains("Device " + gone + " (" + id + ") forgotten: inactive for more than 3 s"));
        }
        Map<String, String> after = new TreeMap<>();
        for (JsonNode device : gateway.devices()) {
            after.put(device.get("name").asText(), device.get("_id").asText());
        }
        Map<String, String> expected = new TreeMap<>(ids);
        expected.keySet().removeAll(List.of("rst-0009", "rst-0010"));
        assertEquals(expected, after);
    }

    @Test
    public void killDuringHeavyStoreWritesLeavesAConsistentDatabase() {
        int count = 200;
        // 2 rounds by default (each kills at a random moment of a sweep); -Dwasmiot.restart.rounds=N for more
        int rounds = Integer.getInteger("wasmiot.restart.rounds", 2);
        gateway = GatewayProcess.start("restart-writes-it", config());
        simulator(count, "kw-");
        // Every device checked and stored every second: 200 store writes a second.
        Set<String> ids = Await.until("all " + count + " devices listed active", Duration.ofSeconds(90), () -> {
            JsonNode list = gateway.devices();
            Set<String> active = new HashSet<>();
            for (JsonNode device : list) {
                if ("active".equals(device.path("status").asText()) && device.path("health").path("report").isObject()) {
                    active.add(device.get("_id").asText());
                }
            }
            return active.size() == count ? active : null;
        });
        for (int round = 1; round <= rounds; round++) {
            double sweepsAtStart = sweeps(gateway);
            Await.until("two sweeps writing", SOON, () -> sweeps(gateway) >= sweepsAtStart + 2);
            long pause = ThreadLocalRandom.current().nextLong(0, 1000);
            sleep(pause);
            double sweepsAtKill = sweeps(gateway);
            gateway.kill();

            long started = System.nanoTime();
            gateway = gateway.restart();
            HttpResponse<String> first = Await.until("round " + round + ": the database opens and lists devices",
                    Duration.ofSeconds(60), () -> {
                        HttpResponse<String> answer = gateway.http.get("/file/device");
                        return answer.statusCode() == 200 ? answer : null;
                    });
            JsonNode list = GatewayProcess.json(first);
            Set<String> listedIds = validate(list, "round " + round);
            System.out.printf("RestartIT: round %d: killed %d ms into sweep %d; restarted and listed %d valid devices"
                    + " after %.2f s%n", round, pause, (long) sweepsAtKill, list.size(), (System.nanoTime() - started) / 1e9);
            assertEquals("round " + round + ": every device kept, with its _id", ids, listedIds);
            gateway.awaitReady();
        }
        // After the last restart the devices are checked as before.
        Await.until("all devices active and valid after the last restart", Duration.ofSeconds(60), () -> {
            JsonNode list = gateway.devices();
            validate(list, "after the last restart");
            long fresh = 0;
            for (JsonNode device : list) {
                if ("active".equals(device.path("status").asText()) && device.path("okHealthCheckCount").asInt() > 0) {
                    fresh++;
                }
            }
            return fresh == count;
        });
        assertTrue("no store write failed: " + gateway.log(), !gateway.log().contains("cannot store"));
    }

    /** Checks every field of every document; returns the {@code _id}s (failing on a duplicate). */
    private static Set<String> validate(JsonNode list, String when) {
        assertTrue(when + ": an array", list.isArray());
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (JsonNode device : list) {
            String what = when + ": " + device;
            String id = device.path("_id").asText();
            assertTrue(what, id.matches("[0-9a-f]{24}"));
            assertTrue(what + " (duplicate _id)", ids.add(id));
            String name = device.path("name").asText();
            assertTrue(what, !name.isBlank());
            assertTrue(what + " (duplicate name)", names.add(name));
            JsonNode addresses = device.at("/communication/addresses");
            assertTrue(what, addresses.isArray() && addresses.size() > 0);
            addresses.forEach(address -> assertTrue(what, address.isTextual() && !address.asText().isBlank()));
            int port = device.at("/communication/port").asInt(-1);
            assertTrue(what, port >= 1 && port <= 65535);
            String status = device.path("status").asText();
            assertTrue(what, status.equals("active") || status.equals("inactive"));
            int ok = device.path("okHealthCheckCount").asInt(-1);
            int failed = device.path("failedHealthCheckCount").asInt(-1);
            assertTrue(what, ok >= 0 && failed >= 0 && (ok == 0 || failed == 0));
            JsonNode log = device.path("statusLog");
            assertTrue(what, log.isArray() && log.size() > 0);
            assertEquals(what + " (status and statusLog disagree)", status, log.get(0).path("status").asText());
            log.forEach(entry -> parseTime(what, entry.path("time")));
            assertTrue(what, device.at("/description/platform").isObject());
            JsonNode health = device.path("health");
            if (!health.isMissingNode() && !health.isNull()) {
                parseTime(what, health.path("timeOfQuery"));
                JsonNode report = health.path("report");
                if (report.isObject()) {
                    assertTrue(what + " (a health report with failures counted)", failed == 0 && ok > 0);
                } else {
                    assertTrue(what, report.isNull());
                    assertTrue(what + " (no report without a failure counted)", failed > 0 && ok == 0);
                }
            }
            if (device.has("lastSeen")) {
                parseTime(what, device.get("lastSeen"));
            }
        }
        return ids;
    }

    private static void parseTime(String what, JsonNode time) {
        try {
            assertNotNull(Instant.parse(time.asText()));
        } catch (DateTimeParseException e) {
            fail(what + ": time '" + time + "' does not parse: " + e.getMessage());
        }
    }

    private SimulatorProcess simulator(int devices, String prefix) {
        SimulatorProcess simulator = SimulatorProcess.start(gateway.dir, devices, "--name-prefix", prefix);
        running.add(simulator);
        return simulator;
    }

    private static double sweeps(GatewayProcess gateway) {
        return Double.parseDouble(gateway.metric("wasmiot_health_sweeps_total"));
    }

    private static String name(String prefix, int index) {
        return String.format("%s%04d", prefix, index);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
