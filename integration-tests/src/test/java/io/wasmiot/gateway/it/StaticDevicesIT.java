package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The static source on the real jar: a simulated device that does not advertise ({@code --no-mdns})
 * and does not register is listed from its {@code wasmiot.gateway.source.static-<name>.cfg}, health
 * checked, made inactive when it dies, and forgotten when its configuration is deleted.
 */
public class StaticDevicesIT {
    private static final Duration SOON = Duration.ofSeconds(30);
    private static final String NAME = "stat-0001";
    private GatewayProcess gateway;
    private SimulatorProcess devices;

    @Before
    public void start() {
        gateway = GatewayProcess.start("static-devices-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "forgetAfter", 300));
        devices = SimulatorProcess.start(gateway.dir, 1, "--name-prefix", "stat-", "--no-mdns");
    }

    @After
    public void stop() {
        if (devices != null) {
            devices.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private Path cfg(String alias) {
        return gateway.dir.resolve("conf").resolve("wasmiot.gateway.source.static-" + alias + ".cfg");
    }

    @Test
    public void aConfiguredDeviceIsListedCheckedMadeInactiveAndForgottenWithItsConfiguration() throws Exception {
        GatewayProcess.writeAtomically(cfg("bad"), "name=broken\naddress=127.0.0.1\nport=0\n");
        GatewayProcess.writeAtomically(cfg("plc"),
                "name=" + NAME + "\naddress=127.0.0.1\nport=" + devices.port(NAME) + "\ntls=false\n");

        JsonNode listed = Await.until(NAME + " listed and healthy", SOON, () -> gateway.healthyDevice(NAME));
        assertEquals("static", listed.get("source").asText());
        assertEquals(devices.port(NAME), listed.path("communication").path("port").asInt());
        assertEquals("127.0.0.1", listed.path("communication").path("addresses").get(0).asText());
        String id = listed.get("_id").asText();
        assertTrue(gateway.log().contains("Device " + NAME + " sighted (static) at [127.0.0.1] port "
                + devices.port(NAME) + ": introducing"));
        Await.until("the bad configuration refused", SOON, () -> gateway.log().contains(
                "Static device configuration wasmiot.gateway.source.static~bad refused: port 0 is outside 1-65535"));
        assertNull(gateway.device("broken"));
        int checks = Integer.parseInt(devices.command("checks " + NAME, "CHECKS").split(" ")[2]);
        assertTrue("health checked: " + checks, checks >= 1);

        devices.kill();
        devices = null;
        JsonNode inactive = Await.until(NAME + " inactive", SOON, () -> {
            JsonNode device = gateway.device(NAME);
            return device != null && "inactive".equals(device.path("status").asText()) ? device : null;
        });
        assertEquals(id, inactive.get("_id").asText());

        Files.delete(cfg("plc"));
        Await.until(NAME + " forgotten", SOON, () -> gateway.device(NAME) == null);
        assertTrue(gateway.log().contains("Device " + NAME + " (" + id
                + ") forgotten: static device configuration deleted, not back within 2 s"));
        assertEquals(0, gateway.devices().size());
    }
}
