package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway on multi-host networks ({@link Lab}, {@link FieldLabFixture}), reaching devices beyond
 * its own host: on two other hosts of its subnet, through 20 % and 50 % mDNS loss, and behind a
 * router (a device that registers itself). Renumbered devices: {@link FieldLabRenumberIT}; NICs,
 * cables and partitions: {@link FieldLabOutageIT}.
 */
public class FieldLabIT extends FieldLabFixture {
    // ---- devices on other hosts ------------------------------------------------------------------

    @Test
    public void devicesOnOtherHostsAreListedAtTheirAddressesAndCheckedAcrossTheBridge() {
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21").host("b", "lan=22"));
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
        Figures.report(FIGURES, "devices on two other hosts",
                expected.size() + " devices (" + (zeroconf != null ? "1 python-zeroconf " + zeroconf.version()
                        : "no python-zeroconf here") + ") listed active with health in " + Figures.seconds(Figures.since(start))
                        + " from the simulators' start");
    }

    // ---- loss ------------------------------------------------------------------------------------

    @Test
    public void everyDeviceOfA200BurstIsListedThrough20And50PercentLoss() {
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21"));
        gateway("gw", "lan", 10, GatewayProcess.Config.fast().set("wasmiot.gateway.discovery", "healthInterval", 5));
        // -Dwasmiot.it.lossRuns=10 repeats the 50 % burst (issue 21 asks for 10 runs); the suite runs it once.
        // -Dwasmiot.it.devicesPerDatagram=1: each device answers in its own datagram, as a fleet of separate
        // hosts does (one lost datagram loses one device); by default the simulator packs many in one.
        int runsAt50 = Integer.getInteger("wasmiot.it.lossRuns", 1);
        String devicesPerDatagram = String.valueOf(Integer.getInteger("wasmiot.it.devicesPerDatagram", 0));
        String packing = "0".equals(devicesPerDatagram) ? "" : ", " + devicesPerDatagram + " device(s) a datagram";
        // -Dwasmiot.it.lossRunGapSeconds=S: a pause before each burst, so that it does not meet the catch-up
        // of the burst before (runs as independent trials); by default each burst follows the last at once.
        long gapMillis = 1000L * Integer.getInteger("wasmiot.it.lossRunGapSeconds", 0);
        List<Integer> rates = new ArrayList<>(List.of(20));
        rates.addAll(Collections.nCopies(runsAt50, 50));
        List<Double> secondsAt50 = new ArrayList<>();
        List<Double> secondsAt50FromUp = new ArrayList<>();
        for (int run = 0; run < rates.size(); run++) {
            int percent = rates.get(run);
            String prefix = "l" + run + "-";
            if (run > 0 && gapMillis > 0) {
                try {
                    Thread.sleep(gapMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted between loss runs", e);
                }
            }
            lab.loss("gw", percent);
            long start = System.nanoTime();
            SimulatorProcess burst = simulator("a", lab.address("lan=21"), 200, prefix,
                    "--mdns-devices-per-datagram", devicesPerDatagram);
            Duration started = Figures.since(start);
            Await.until("200 " + prefix + " devices listed through " + percent + " % loss", Duration.ofSeconds(120),
                    () -> listed(prefix) == 200);
            Duration allListed = Figures.since(start);
            long[] counted = lab.lossCounters("gw");
            Figures.report(FIGURES, percent + " % mDNS loss at the gateway's host" + packing,
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
        Figures.report(FIGURES, "50 % mDNS loss, " + secondsAt50.size() + " run(s)" + packing,
                "200 of 200 listed in every run; seconds from the simulator's start, sorted: " + secondsAt50
                        + "; from its 200 devices up: " + secondsAt50FromUp);
    }

    // ---- a device behind a router ----------------------------------------------------------------

    @Test
    public void aDeviceOnAnotherSubnetRegistersThroughARouterAndIsForgottenWhenItDies() {
        lab(new LabTopology().host("gw", "lan=10").router("rt", "lan=1", "far=1").host("c", "far=30")
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
        Figures.report(FIGURES, "device behind a router registers itself",
                "listed active " + Figures.seconds(registered) + " after its start; killed: inactive after "
                        + Figures.seconds(inactive) + ", forgotten after " + Figures.seconds(forgotten) + " (forgetAfter 4 s)");
    }
}
