package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Live configuration through {@code .cfg} files (the same ConfigAdmin path as the web console):
 * changes take effect within a sweep, and no device is lost.
 */
public class ConfigurationIT {
    private static final Duration SOON = Duration.ofSeconds(30);
    private GatewayProcess gateway;
    private SimulatorProcess devices;

    @Before
    public void start() {
        gateway = GatewayProcess.start("configuration-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "healthInterval", 6));
        devices = SimulatorProcess.start(gateway.dir, 2, "--name-prefix", "conf-");
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

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String name = String.format("conf-%04d", i);
            ids.add(Await.until(name + " healthy", SOON, () -> gateway.healthyDevice(name)).get("_id").asText());
        }
        return ids;
    }

    private void configure(String pid, String text) throws Exception {
        GatewayProcess.writeAtomically(gateway.dir.resolve("conf").resolve(pid + ".cfg"), text);
    }

    private int checks(String name) {
        return Integer.parseInt(devices.command("checks " + name, "CHECKS").split(" ")[2]);
    }

    @Test
    public void aShorterHealthIntervalAppliesWithinASweepAndKeepsTheDevices() throws Exception {
        List<String> ids = ids();
        configure("wasmiot.gateway.discovery", "healthInterval=1\nfailuresBeforeInactive=2\nforgetAfter=3\n");
        Await.until("the new interval in force", SOON, () -> gateway.log().contains("health every 1 s"));
        int before = checks("conf-0001");
        long started = System.nanoTime();
        // At one check a second, five more checks come within about five seconds (at 6 s, within 30).
        Await.until("five more checks", Duration.ofSeconds(12), () -> checks("conf-0001") >= before + 5);
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue("five checks took " + seconds + " s", seconds <= 8);
        assertEquals(ids, ids());
    }

    @Test
    public void probeAndBrowserReconfigurationKeepsTheDevicesAndDiscovery() throws Exception {
        List<String> ids = ids();
        configure("wasmiot.gateway.probe", "connectTimeoutMillis=700\nreadTimeoutMillis=1500\n");
        configure("wasmiot.gateway.mdns", "interfaceCheckSeconds=5\n");
        Await.until("the new probe settings in force", SOON, () -> gateway.log().contains("connect timeout 700 ms"));
        Await.until("the mDNS socket reopened", SOON, () -> gateway.log().lines()
                .filter(line -> line.contains("mDNS: listening on lo")).count() >= 2);
        assertEquals(ids, ids());
        // Discovery still works after the swap: a new device is found.
        devices.command("add 1", "UP");
        Await.until("conf-0003 healthy", SOON, () -> gateway.healthyDevice("conf-0003"));
    }

    @Test
    public void anApiTokenGuardsChangesButNotReadsOrRegister() throws Exception {
        ids();
        configure("wasmiot.gateway.rest", ".apiToken=s3cret-token\n");
        // Probed with a change that changes nothing (an unknown device): 404 before, 401 once the token is in force.
        Await.until("changes need the token", SOON,
                () -> gateway.http.post("/file/device/nobody/blacklist", "application/json", "").statusCode() == 401);
        assertEquals(401, gateway.http.delete("/file/device/conf-0001").statusCode());
        JsonNode error = GatewayProcess.json(gateway.http.delete("/file/device"));
        assertTrue(error.get("error").asText().contains("Authorization: Bearer"));
        assertEquals(401, gateway.http.post("/file/device/discovery/reset", "application/json", "").statusCode());
        assertEquals(200, gateway.http.get("/file/device").statusCode());
        assertEquals(401, gateway.http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gateway.port + "/file/device")).DELETE()
                .header("Authorization", "Bearer wrong")).statusCode());
        var wipe = gateway.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/file/device"))
                .DELETE().header("Authorization", "Bearer s3cret-token"));
        assertEquals(200, wipe.statusCode());
        assertEquals(2, GatewayProcess.json(wipe).get("deletedCount").asInt());
        // Register stays open to devices (docs/contract.md §12).
        assertEquals(204, gateway.http.post("/discovery/register", "application/json",
                "{\"name\":\"with-token\",\"port\":" + devices.port("conf-0001") + ",\"addresses\":[\"127.0.0.1\"]}").statusCode());
    }
}
