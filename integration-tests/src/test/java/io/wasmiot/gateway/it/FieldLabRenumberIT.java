package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.Assume;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renumbered devices in the field lab ({@link FieldLabFixture}): a device that comes back at a new
 * address, with or without a goodbye, and a python-zeroconf supervisor restarted elsewhere keep
 * their {@code _id} and are followed to the new address.
 */
public class FieldLabRenumberIT extends FieldLabFixture {
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
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21"));
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
        Figures.report(FIGURES, "renumbered " + (goodbye ? "after a goodbye" : "without a goodbye"),
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
        lab(new LabTopology().host("gw", "lan=10").host("a", "lan=21"));
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
        Figures.report(FIGURES, "python-zeroconf supervisor restarted at another address, no goodbye",
                "listed active at the new address, same _id, " + Figures.seconds(listed)
                        + " after the new life's first announcement");
    }
}
