package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Outages in the field lab ({@link FieldLabFixture}): a gateway's second NIC that comes and goes, a
 * pulled cable (the brake holds), and a partitioned device host; devices elsewhere stay active.
 */
public class FieldLabOutageIT extends FieldLabFixture {
    // ---- a second NIC ----------------------------------------------------------------------------

    @Test
    public void aSecondNicAddedAtRunTimeFindsItsDevicesAndTheirLossTouchesNoOthers() {
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21").host("b", "lan2=22"));
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
        Figures.report(FIGURES, "second NIC added, then removed",
                "its 2 devices listed active " + Figures.seconds(found) + " after the NIC came up; inactive "
                        + Figures.seconds(inactive) + " after it was removed; the 4 others stayed active ("
                        + others.samples + " samples)");
    }

    // ---- link flap -------------------------------------------------------------------------------

    @Test
    public void aPulledCableTurnsNobodyInactiveAndADeviceBornMeanwhileIsFound() {
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21"));
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
        Figures.report(FIGURES, "gateway's cable pulled for " + Figures.seconds(outage) + " (3 health intervals or more)",
                "no device inactive or forgotten (the brake held in " + brakes + " sweeps); the device born during the"
                        + " outage listed active " + Figures.seconds(found) + " after the cable was back");
    }

    // ---- partition -------------------------------------------------------------------------------

    @Test
    public void aPartitionedHostsDevicesTurnInactiveAndComeBackTheOthersStay() {
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21").host("b", "lan=22"));
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
        Figures.report(FIGURES, "one device host cut off both ways",
                "its 2 devices inactive " + Figures.seconds(inactive) + " after the cut, active again (same _id) "
                        + Figures.seconds(active) + " after it ended; the 4 others stayed active (" + others.samples
                        + " samples)");
    }
}
