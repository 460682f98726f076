package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Real supervisors restart without saying goodbye (docs/contract.md §9): python-zeroconf advertises them (its
 * probing, its record lifetimes, no goodbye when killed), a {@code --no-mdns} simulator serves their
 * HTTP. Each restart is measured from the new life's first announcement (python-zeroconf's PROBED)
 * to the device listed active again with a health check of the new life.
 *
 * <p>Record lifetimes are shortened (SRV and A 5 s instead of 120 s) so that outliving them takes
 * seconds; {@code -Dwasmiot.it.long=true} also runs the real ones: down 130 s then back, and killed
 * with the default {@code forgetAfter} (300 s).
 */
public class RestartsIT {
    private static final Duration SOON = Duration.ofSeconds(40);
    private static final int HOST_TTL = 5;
    /**
     * Longer than the 5 s records' expiry plus 2 s (a killed device must still be listed then) and
     * than a return at about 8 s after the death (same _id): forgotten at about 15 s. Was 20 s.
     */
    private static final int FORGET_AFTER = 14;
    private static GatewayProcess gateway;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeClass
    public static void startGateway() {
        Assume.assumeTrue("python-zeroconf is not installed here", ZeroconfAdvertiser.installedVersion() != null);
        gateway = GatewayProcess.start("restarts-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "successesBeforeActive", 5)
                .set("wasmiot.gateway.discovery", "forgetAfter", FORGET_AFTER));
    }

    @AfterClass
    public static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @After
    public void stop() throws Exception {
        for (AutoCloseable process : running) {
            process.close();
        }
    }

    /** One supervisor's HTTP, on a port of its own. */
    private SimulatorProcess http(String prefix) {
        SimulatorProcess simulator = SimulatorProcess.start(gateway.dir, 1, "--no-mdns", "--name-prefix", prefix);
        running.add(simulator);
        return simulator;
    }

    /** A supervisor's mDNS life: a python-zeroconf process advertising {@code name} at {@code port}. */
    private Life advertise(String name, int port, int hostTtl) {
        ZeroconfAdvertiser advertiser = ZeroconfAdvertiser.start(List.of(), gateway.dir, "127.0.0.1", hostTtl, 60);
        running.add(advertiser);
        Instant registering = Instant.now(); // the new life's checks come after this
        long probed = advertiser.advertise(Map.of(name, port));
        return new Life(advertiser, probed, registering);
    }

    private record Life(ZeroconfAdvertiser advertiser, long firstAnnouncementNanos, Instant started) {
    }

    private JsonNode awaitActiveSince(String name, int port, Instant since, Duration timeout) {
        return Await.until(name + " active at port " + port + " with a check since " + since, timeout, () -> {
            JsonNode device = gateway.healthyDevice(name);
            return device != null && device.at("/communication/port").asInt() == port
                    && Instant.parse(device.at("/health/timeOfQuery").asText()).isAfter(since.minusMillis(1))
                    ? device : null;
        });
    }

    private String status(String name) {
        JsonNode device = gateway.device(name);
        return device == null ? "absent" : device.path("status").asText();
    }

    private void awaitStatus(String name, String status) {
        Await.until(name + " " + status, SOON, () -> {
            JsonNode device = gateway.device(name);
            return device != null && status.equals(device.path("status").asText());
        });
    }

    /** The old life ends with no goodbye: its mDNS stack killed, its port closed. */
    private static void die(Life life, SimulatorProcess http, String name) {
        life.advertiser().kill();
        http.command("vanish " + name, "VANISHED " + name);
    }

    /** An inactive device that announces a new life is active at its introduction's check, not 5 sweeps later. */
    private void report(String scenario, Life life, JsonNode device) {
        Duration took = Figures.since(life.firstAnnouncementNanos());
        assertEquals("announced itself again and answered", device.at("/statusLog/0/reason").asText());
        Figures.report("RestartsIT", scenario, "listed active again " + Figures.seconds(took)
                + " after the new life's first announcement (status log: " + device.at("/statusLog/0/reason").asText() + ")");
    }

    @Test
    public void aRestartWithoutGoodbyeOnTheSamePortIsListedActiveAtItsFirstAnnouncement() {
        SimulatorProcess http = http("rsa-");
        int port = http.port("rsa-0001");
        Life first = advertise("rsa-0001", port, 0);
        String id = awaitActiveSince("rsa-0001", port, first.started(), SOON).get("_id").asText();

        die(first, http, "rsa-0001");
        awaitStatus("rsa-0001", "inactive");
        http.command("return rsa-0001", "UP rsa-0001");
        Life second = advertise("rsa-0001", port, 0);
        JsonNode back = awaitActiveSince("rsa-0001", port, second.started(), SOON);
        assertEquals(id, back.get("_id").asText());
        report("restart without goodbye, same port", second, back);
    }

    @Test
    public void aRestartWithoutGoodbyeOnAnotherPortIsFollowedAtItsFirstAnnouncement() {
        SimulatorProcess oldHttp = http("rsb-");
        Life first = advertise("rsb-0001", oldHttp.port("rsb-0001"), 0);
        String id = awaitActiveSince("rsb-0001", oldHttp.port("rsb-0001"), first.started(), SOON).get("_id").asText();

        die(first, oldHttp, "rsb-0001");
        awaitStatus("rsb-0001", "inactive");
        SimulatorProcess newHttp = http("rsb-");
        int newPort = newHttp.port("rsb-0001");
        assertTrue(newPort != oldHttp.port("rsb-0001"));
        Life second = advertise("rsb-0001", newPort, 0);
        JsonNode back = awaitActiveSince("rsb-0001", newPort, second.started(), SOON);
        assertEquals(id, back.get("_id").asText());
        report("restart without goodbye, another port", second, back);
    }

    @Test
    public void aDeviceDownLongerThanItsSrvLifetimeIsSeenAtItsReturn() {
        downLongerThanTheSrvLifetime("rsc-", HOST_TTL);
    }

    @Test
    public void aDeviceDown130SecondsWithPythonZeroconfsOwnLifetimesIsSeenAtItsReturn() {
        Assume.assumeTrue("-Dwasmiot.it.long=true runs it (about 2.5 minutes)", Boolean.getBoolean("wasmiot.it.long"));
        downLongerThanTheSrvLifetime("rsd-", 0);
    }

    private void downLongerThanTheSrvLifetime(String prefix, int hostTtl) {
        String name = prefix + "0001";
        SimulatorProcess http = http(prefix);
        int port = http.port(name);
        Life first = advertise(name, port, hostTtl);
        String id = awaitActiveSince(name, port, first.started(), SOON).get("_id").asText();

        long died = System.nanoTime();
        die(first, http, name);
        Duration lifetime = Duration.ofSeconds(hostTtl > 0 ? hostTtl : 120);
        Await.until("its SRV lifetime (" + lifetime.toSeconds() + " s) past, and 2 s more", lifetime.plusSeconds(30),
                () -> Figures.since(died).compareTo(lifetime.plusSeconds(2)) > 0);
        assertEquals("still listed, as inactive", "inactive", status(name));
        assertTrue("the expiry logged as such", gateway.log().contains("mDNS: the records of " + name + " expired with no goodbye"));
        assertFalse("an expiry is no goodbye", gateway.log().contains("mDNS: goodbye from " + name));
        http.command("return " + name, "UP " + name);
        Life second = advertise(name, port, hostTtl);
        JsonNode back = awaitActiveSince(name, port, second.started(), SOON);
        assertEquals(id, back.get("_id").asText());
        report("down longer than its SRV lifetime (" + lifetime.toSeconds() + " s), then back", second, back);
    }

    @Test
    public void aKilledDeviceStaysListedInactiveUntilForgetAfterThenGoesWithThatReason() {
        killed("rse-", HOST_TTL, FORGET_AFTER);
    }

    @Test
    public void aKilledDeviceWithPythonZeroconfsLifetimesAndTheDefaultForgetAfter() {
        Assume.assumeTrue("-Dwasmiot.it.long=true runs it (about 6 minutes)", Boolean.getBoolean("wasmiot.it.long"));
        GatewayProcess shared = gateway;
        gateway = GatewayProcess.start("restarts-it-default-forget", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "forgetAfter", 300));
        try {
            killed("rsf-", 0, 300);
        } finally {
            gateway.close();
            gateway = shared;
        }
    }

    private void killed(String prefix, int hostTtl, int forgetAfter) {
        String name = prefix + "0001";
        SimulatorProcess http = http(prefix);
        Life life = advertise(name, http.port(name), hostTtl);
        String id = awaitActiveSince(name, http.port(name), life.started(), SOON).get("_id").asText();

        long killed = System.nanoTime();
        die(life, http, name);
        awaitStatus(name, "inactive");
        Duration lifetime = Duration.ofSeconds(hostTtl > 0 ? hostTtl : 120);
        Await.until("its SRV lifetime (" + lifetime.toSeconds() + " s) past, and 2 s more", lifetime.plusSeconds(30),
                () -> Figures.since(killed).compareTo(lifetime.plusSeconds(2)) > 0);
        assertEquals("still listed after its records expired", "inactive", status(name));
        assertTrue("the expiry logged as such", gateway.log().contains("mDNS: the records of " + name + " expired with no goodbye"));
        Await.until(name + " forgotten", Duration.ofSeconds(forgetAfter + 30), () -> gateway.device(name) == null);
        Duration gone = Figures.since(killed);
        Await.until("the forget logged", SOON, () -> gateway.log().contains(
                "Device " + name + " (" + id + ") forgotten: inactive for more than " + forgetAfter + " s"));
        assertFalse(gateway.log().contains("Device " + name + " (" + id + ") said goodbye"));
        assertTrue("forgotten by forgetAfter, not at its records' expiry: " + gone, gone.toSeconds() >= forgetAfter);
        Figures.report("RestartsIT", "killed (SRV lifetime " + hostTtl + " s, forgetAfter " + forgetAfter + " s)",
                "listed inactive past its records' expiry, forgotten after " + Figures.seconds(gone)
                        + " with reason 'inactive for more than " + forgetAfter + " s'");
    }
}
