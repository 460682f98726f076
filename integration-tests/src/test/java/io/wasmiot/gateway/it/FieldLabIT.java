package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway on multi-host networks ({@link Lab}): devices on other hosts, lossy multicast,
 * renumbered devices, a gateway whose second NIC comes and goes, a pulled cable, a partitioned
 * host, and a device behind a router that registers itself. Each test builds its own network, runs
 * the real gateway jar and simulated devices in its hosts, prints its figures ({@link Figures}) and
 * tears the network down.
 */
public class FieldLabIT {
    private static final Duration SOON = Duration.ofSeconds(40);
    private final List<AutoCloseable> running = new ArrayList<>();
    private Lab lab;
    private GatewayProcess gateway;

    @After
    public void tearDown() throws Exception {
        for (AutoCloseable process : running) {
            process.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private Lab lab(Lab.Topology topology) {
        lab = Lab.build(topology);
        return lab;
    }

    /** The real gateway jar on {@code host}, its public URL on {@code subnet}, its interfaces checked every second. */
    private GatewayProcess gateway(String host, String subnet, int hostNumber, GatewayProcess.Config config) {
        int port = GatewayOptions.freePort();
        config.set("wasmiot.gateway.mdns", "interfaceCheckSeconds", 1)
                .set("wasmiot.gateway.discovery", "publicBaseUrl", "http://" + lab.address(subnet, hostNumber) + ":" + port);
        gateway = GatewayProcess.start("lab-" + host, config,
                new GatewayProcess.Placement(lab.prefix(host), lab.managementAddress(host), port));
        running.add(0, gateway);
        return gateway;
    }

    /** A simulator on {@code host} advertising (and serving) at {@code address}. */
    private SimulatorProcess simulator(String host, String address, int devices, String prefix, String... extra) {
        List<String> args = new ArrayList<>(List.of("--name-prefix", prefix, "--mdns-address", address));
        args.addAll(List.of(extra));
        SimulatorProcess simulator = SimulatorProcess.start(lab.prefix(host), gateway.dir, devices,
                args.toArray(String[]::new));
        running.add(simulator);
        return simulator;
    }

    private static String name(String prefix, int index) {
        return String.format("%s%04d", prefix, index);
    }

    private JsonNode awaitHealthyAt(String name, String address, Duration timeout) {
        return Await.until(name + " listed active at " + address, timeout, () -> {
            JsonNode device = gateway.healthyDevice(name);
            return device != null && address.equals(device.at("/communication/addresses/0").asText()) ? device : null;
        });
    }

    private String status(String name) {
        JsonNode device = gateway.device(name);
        return device == null ? "absent" : device.path("status").asText();
    }

    /** How many listed devices have a name starting with {@code prefix}. */
    private int listed(String prefix) {
        int count = 0;
        for (JsonNode device : gateway.devices()) {
            if (device.path("name").asText().startsWith(prefix)) {
                count++;
            }
        }
        return count;
    }

    // ---- devices on other hosts ------------------------------------------------------------------

    @Test
    public void devicesOnOtherHostsAreListedAtTheirAddressesAndCheckedAcrossTheBridge() {
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21").host("b", "lan=22"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast());
        long start = System.nanoTime();
        SimulatorProcess onA = simulator("a", lab.address("lan=21"), 3, "ha-");
        SimulatorProcess onB = simulator("b", lab.address("lan=22"), 3, "hb-");
        ZeroconfDevices zeroconf = ZeroconfDevices.startIfAvailable(lab.prefix("b"), gateway.dir,
                lab.address("lan=22"), "hz-", 1);
        if (zeroconf != null) {
            running.add(zeroconf);
        }
        Map<String, String> expected = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            expected.put(name("ha-", i), lab.address("lan=21"));
            expected.put(name("hb-", i), lab.address("lan=22"));
        }
        if (zeroconf != null) {
            expected.put(name("hz-", 1), lab.address("lan=22"));
        }
        for (Map.Entry<String, String> device : expected.entrySet()) {
            JsonNode listed = awaitHealthyAt(device.getKey(), device.getValue(), SOON);
            SimulatorProcess server = device.getKey().startsWith("ha-") ? onA
                    : device.getKey().startsWith("hb-") ? onB : zeroconf.http();
            assertEquals(server.port(device.getKey()), listed.at("/communication/port").asInt());
            assertEquals("mdns", listed.path("source").asText());
            assertTrue(listed.at("/health/report/memoryUsage").isNumber());
        }
        Figures.report("FieldLabIT", "devices on two other hosts",
                expected.size() + " devices (" + (zeroconf != null ? "1 python-zeroconf " + zeroconf.version()
                        : "no python-zeroconf here") + ") listed active with health in " + Figures.seconds(Figures.since(start))
                        + " from the simulators' start");
    }

    // ---- loss ------------------------------------------------------------------------------------

    @Test
    public void everyDeviceOfA200BurstIsListedThrough20And50PercentLoss() {
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast().set("wasmiot.gateway.discovery", "healthInterval", 5));
        // -Dwasmiot.it.lossRuns=10 repeats the 50 % burst (issue 21 asks for 10 runs); the suite runs it once
        int runsAt50 = Integer.getInteger("wasmiot.it.lossRuns", 1);
        List<Integer> rates = new ArrayList<>(List.of(20));
        rates.addAll(Collections.nCopies(runsAt50, 50));
        List<Double> secondsAt50 = new ArrayList<>();
        List<Double> secondsAt50FromUp = new ArrayList<>();
        for (int run = 0; run < rates.size(); run++) {
            int percent = rates.get(run);
            String prefix = "l" + run + "-";
            lab.loss("gw", percent);
            long start = System.nanoTime();
            SimulatorProcess burst = simulator("a", lab.address("lan=21"), 200, prefix);
            Duration started = Figures.since(start);
            Await.until("200 " + prefix + " devices listed through " + percent + " % loss", Duration.ofSeconds(120),
                    () -> listed(prefix) == 200);
            Duration allListed = Figures.since(start);
            long[] counted = lab.lossCounters("gw");
            Figures.report("FieldLabIT", percent + " % mDNS loss at the gateway's host",
                    "200 of 200 listed in " + Figures.seconds(allListed) + " from the simulator's start (its 200 devices up in "
                            + Figures.seconds(started) + "); " + counted[1] + " of " + counted[0]
                            + " mDNS datagrams dropped at the gateway's host");
            assertTrue("the loss rule dropped nothing", counted[1] > 0);
            if (percent == 50) {
                secondsAt50.add(allListed.toMillis() / 1000.0);
                secondsAt50FromUp.add(allListed.minus(started).toMillis() / 1000.0);
            }
            burst.kill();
            lab.loss("gw", 0);
            assertEquals(200, gateway.http.delete("/file/device").statusCode());
        }
        Collections.sort(secondsAt50);
        Collections.sort(secondsAt50FromUp);
        Figures.report("FieldLabIT", "50 % mDNS loss, " + secondsAt50.size() + " run(s)",
                "200 of 200 listed in every run; seconds from the simulator's start, sorted: " + secondsAt50
                        + "; from its 200 devices up: " + secondsAt50FromUp);
    }

    // ---- renumbering -----------------------------------------------------------------------------

    @Test
    public void aDeviceThatSaysGoodbyeAndComesBackAtANewAddressKeepsItsId() {
        renumber(true);
    }

    @Test
    public void aDeviceRenumberedWithoutGoodbyeIsFollowedToItsNewAddress() {
        renumber(false);
    }

    private void renumber(boolean goodbye) {
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast().set("wasmiot.gateway.discovery", "goodbyeGrace", 10)
                .set("wasmiot.gateway.discovery", "forgetAfter", 30));
        String oldAddress = lab.address("lan=21");
        String newAddress = lab.address("lan=31");
        SimulatorProcess before = simulator("a", oldAddress, 1, "rn-");
        String id = awaitHealthyAt("rn-0001", oldAddress, SOON).get("_id").asText();

        // The new address comes up beside the old one; the device's new life waits there with no device yet.
        lab.addAddress("a", "lan", 31);
        SimulatorProcess after = simulator("a", newAddress, 0, "rn-");
        long start = System.nanoTime();
        if (goodbye) {
            before.command("goodbye rn-0001", "GONE rn-0001");
        }
        before.kill(); // no goodbye from the old life but the one above
        lab.removeAddress("a", "lan", 21);
        after.command("add 1", "UP rn-0001");
        Duration advertised = Figures.since(start);
        JsonNode moved = awaitHealthyAt("rn-0001", newAddress, SOON);
        Duration listed = Figures.since(start);
        assertEquals("the same device, not a new one", id, moved.get("_id").asText());
        assertEquals(after.port("rn-0001"), moved.at("/communication/port").asInt());
        assertTrue(Instant.parse(moved.at("/health/timeOfQuery").asText())
                .isAfter(Instant.now().minus(listed).minusSeconds(1)));
        Figures.report("FieldLabIT", "renumbered " + (goodbye ? "after a goodbye" : "without a goodbye"),
                "listed active at the new address, same _id, " + Figures.seconds(listed) + " after the "
                        + (goodbye ? "goodbye" : "old life's end") + " (re-advertised after " + Figures.seconds(advertised) + ")");
    }

    /**
     * A python-zeroconf supervisor (the reference's mDNS stack: no goodbye when killed) restarts on
     * another address: its old life killed, its host renumbered, a new life advertised there.
     */
    @Test
    public void aPythonSupervisorRestartedAtAnotherAddressWithoutGoodbyeIsFollowedAtItsFirstAnnouncement() {
        Assume.assumeTrue("python-zeroconf is not installed here", ZeroconfAdvertiser.installedVersion() != null);
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast().set("wasmiot.gateway.discovery", "successesBeforeActive", 5)
                .set("wasmiot.gateway.discovery", "forgetAfter", 30));
        String oldAddress = lab.address("lan=21");
        String newAddress = lab.address("lan=31");
        SimulatorProcess oldHttp = simulator("a", oldAddress, 1, "pz-", "--no-mdns");
        ZeroconfAdvertiser oldLife = ZeroconfAdvertiser.start(lab.prefix("a"), gateway.dir, oldAddress, 0, 0);
        running.add(oldLife);
        oldLife.advertise(Map.of("pz-0001", oldHttp.port("pz-0001")));
        String id = awaitHealthyAt("pz-0001", oldAddress, SOON).get("_id").asText();

        oldLife.kill();
        oldHttp.kill();
        Await.until("pz-0001 inactive", SOON, () -> "inactive".equals(status("pz-0001")));
        lab.addAddress("a", "lan", 31);
        lab.removeAddress("a", "lan", 21);
        SimulatorProcess newHttp = simulator("a", newAddress, 1, "pz-", "--no-mdns");
        ZeroconfAdvertiser newLife = ZeroconfAdvertiser.start(lab.prefix("a"), gateway.dir, newAddress, 0, 0);
        running.add(newLife);
        long announced = newLife.advertise(Map.of("pz-0001", newHttp.port("pz-0001")));
        JsonNode moved = awaitHealthyAt("pz-0001", newAddress, SOON);
        Duration listed = Figures.since(announced);
        assertEquals(id, moved.get("_id").asText());
        assertEquals("announced itself again and answered", moved.at("/statusLog/0/reason").asText());
        Figures.report("FieldLabIT", "python-zeroconf supervisor restarted at another address, no goodbye",
                "listed active at the new address, same _id, " + Figures.seconds(listed)
                        + " after the new life's first announcement");
    }

    // ---- a second NIC ----------------------------------------------------------------------------

    @Test
    public void aSecondNicAddedAtRunTimeFindsItsDevicesAndTheirLossTouchesNoOthers() {
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21").host("b", "lan2=22"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast().set("wasmiot.gateway.discovery", "forgetAfter", 60));
        simulator("a", lab.address("lan=21"), 4, "ma-");
        simulator("b", lab.address("lan2=22"), 2, "mb-");
        for (int i = 1; i <= 4; i++) {
            awaitHealthyAt(name("ma-", i), lab.address("lan=21"), SOON);
        }
        assertEquals("lan2 is not the gateway's yet", 0, listed("mb-"));

        long added = System.nanoTime();
        lab.addNic("gw", "lan2", 10);
        for (int i = 1; i <= 2; i++) {
            awaitHealthyAt(name("mb-", i), lab.address("lan2=22"), SOON);
        }
        Duration found = Figures.since(added);

        OthersWatch others = new OthersWatch(List.of("ma-0001", "ma-0002", "ma-0003", "ma-0004"));
        long removed = System.nanoTime();
        lab.removeNic("gw", "lan2");
        Await.until("the socket left the group on eth1", SOON,
                () -> gateway.log().contains("mDNS: interface eth1 (10.91.2.10) went away; leaving the group there"));
        for (int i = 1; i <= 2; i++) {
            String device = name("mb-", i);
            Await.until(device + " inactive", SOON, () -> "inactive".equals(status(device)));
            assertTrue(gateway.device(device).at("/statusLog/0/reason").asText().contains("health checks failed"));
        }
        Duration inactive = Figures.since(removed);
        others.stopAndAssertUntouched();
        Figures.report("FieldLabIT", "second NIC added, then removed",
                "its 2 devices listed active " + Figures.seconds(found) + " after the NIC came up; inactive "
                        + Figures.seconds(inactive) + " after it was removed; the 4 others stayed active ("
                        + others.samples + " samples)");
    }

    // ---- link flap -------------------------------------------------------------------------------

    @Test
    public void aPulledCableTurnsNobodyInactiveAndADeviceBornMeanwhileIsFound() {
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast());
        SimulatorProcess devices = simulator("a", lab.address("lan=21"), 5, "fl-");
        Map<String, String> ids = new TreeMap<>();
        for (int i = 1; i <= 5; i++) {
            ids.put(name("fl-", i), awaitHealthyAt(name("fl-", i), lab.address("lan=21"), SOON).get("_id").asText());
        }
        long brakesBefore = Long.parseLong(gateway.metric("wasmiot_health_brakes_total"));

        lab.cable("gw", "lan", false);
        long pulled = System.nanoTime();
        devices.command("add 1", "UP fl-0006"); // announced while the gateway cannot hear
        // Two failed sweeps at least: without the brake, failuresBeforeInactive (2) would turn them inactive.
        Await.until("3 health intervals and 2 braked sweeps", Duration.ofSeconds(20),
                () -> Figures.since(pulled).toMillis() >= 3000
                        && Long.parseLong(gateway.metric("wasmiot_health_brakes_total")) - brakesBefore >= 2);
        Duration outage = Figures.since(pulled);
        lab.cable("gw", "lan", true);
        long plugged = System.nanoTime();

        awaitHealthyAt("fl-0006", lab.address("lan=21"), Duration.ofSeconds(60));
        Duration found = Figures.since(plugged);
        long brakes = Long.parseLong(gateway.metric("wasmiot_health_brakes_total")) - brakesBefore;
        for (Map.Entry<String, String> device : ids.entrySet()) {
            JsonNode listed = gateway.device(device.getKey());
            assertEquals(device.getValue(), listed.get("_id").asText());
            assertEquals(device.getKey() + " never turned inactive", 1, listed.get("statusLog").size());
        }
        Figures.report("FieldLabIT", "gateway's cable pulled for " + Figures.seconds(outage) + " (3 health intervals or more)",
                "no device inactive or forgotten (the brake held in " + brakes + " sweeps); the device born during the"
                        + " outage listed active " + Figures.seconds(found) + " after the cable was back");
    }

    // ---- partition -------------------------------------------------------------------------------

    @Test
    public void aPartitionedHostsDevicesTurnInactiveAndComeBackTheOthersStay() {
        lab(new Lab.Topology().host("gw", "lan=10").host("a", "lan=21").host("b", "lan=22"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast().set("wasmiot.gateway.discovery", "forgetAfter", 60));
        simulator("a", lab.address("lan=21"), 4, "pa-");
        simulator("b", lab.address("lan=22"), 2, "pb-");
        Map<String, String> ids = new TreeMap<>();
        for (int i = 1; i <= 4; i++) {
            awaitHealthyAt(name("pa-", i), lab.address("lan=21"), SOON);
        }
        for (int i = 1; i <= 2; i++) {
            ids.put(name("pb-", i), awaitHealthyAt(name("pb-", i), lab.address("lan=22"), SOON).get("_id").asText());
        }
        OthersWatch others = new OthersWatch(List.of("pa-0001", "pa-0002", "pa-0003", "pa-0004"));

        long cut = System.nanoTime();
        lab.cut("b", true);
        for (String device : ids.keySet()) {
            Await.until(device + " inactive", SOON, () -> "inactive".equals(status(device)));
        }
        Duration inactive = Figures.since(cut);
        long healed = System.nanoTime();
        lab.cut("b", false);
        for (Map.Entry<String, String> device : ids.entrySet()) {
            JsonNode back = awaitHealthyAt(device.getKey(), lab.address("lan=22"), SOON);
            assertEquals(device.getValue(), back.get("_id").asText());
        }
        Duration active = Figures.since(healed);
        others.stopAndAssertUntouched();
        Figures.report("FieldLabIT", "one device host cut off both ways",
                "its 2 devices inactive " + Figures.seconds(inactive) + " after the cut, active again (same _id) "
                        + Figures.seconds(active) + " after it ended; the 4 others stayed active (" + others.samples
                        + " samples)");
    }

    // ---- a device behind a router ----------------------------------------------------------------

    @Test
    public void aDeviceOnAnotherSubnetRegistersThroughARouterAndIsForgottenWhenItDies() {
        lab(new Lab.Topology().host("gw", "lan=10").router("rt", "lan=1", "far=1").host("c", "far=30")
                .route("gw", "far", "lan=1").route("c", "lan", "far=1"));
        GatewayProcess gw = gateway("gw", "lan", 10, GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "forgetAfter", 4));
        String url = "http://" + lab.address("lan=10") + ":" + gw.port;
        long start = System.nanoTime();
        SimulatorProcess device = simulator("c", lab.address("far=30"), 1, "rt-", "--no-mdns", "--orchestrator-url", url);
        JsonNode listed = awaitHealthyAt("rt-0001", lab.address("far=30"), SOON);
        Duration registered = Figures.since(start);
        assertEquals("register", listed.path("source").asText());
        assertTrue(gw.log().contains("Register from " + lab.address("far=30") + ": rt-0001 at "));

        long killed = System.nanoTime();
        device.kill();
        Await.until("rt-0001 inactive", SOON, () -> "inactive".equals(status("rt-0001")));
        Duration inactive = Figures.since(killed);
        Await.until("rt-0001 forgotten", SOON, () -> gw.device("rt-0001") == null);
        Duration forgotten = Figures.since(killed);
        Await.until("the forget logged", SOON, () -> gw.log().matches("(?s).*Device rt-0001 \\([0-9a-f]{24}\\) forgotten: .*"));
        Figures.report("FieldLabIT", "device behind a router registers itself",
                "listed active " + Figures.seconds(registered) + " after its start; killed: inactive after "
                        + Figures.seconds(inactive) + ", forgotten after " + Figures.seconds(forgotten) + " (forgetAfter 4 s)");
    }

    /** Polls devices that must stay active while something else happens; fails the test if one does not. */
    private final class OthersWatch {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Map<String, String> seen = new ConcurrentHashMap<>();
        private final Thread thread;
        volatile int samples;

        OthersWatch(List<String> names) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    for (String name : names) {
                        String status = status(name);
                        if (!"active".equals(status)) {
                            seen.putIfAbsent(name, status);
                        }
                    }
                    samples++;
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "field-lab-others");
            thread.setDaemon(true);
            thread.start();
        }

        void stopAndAssertUntouched() {
            stop.set(true);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue("watched at least once", samples > 0);
            assertEquals("devices elsewhere left alone", Map.of(), seen);
        }
    }
}
