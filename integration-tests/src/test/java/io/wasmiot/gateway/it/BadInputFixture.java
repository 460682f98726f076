package io.wasmiot.gateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.AfterClass;
import org.junit.BeforeClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@link BadInputIT}'s tests share: one gateway that allows registers from 127.0.0.1 only, five
 * healthy devices that must stay undisturbed ({@link #snapshot}), the simulator's hand-made mDNS
 * records, and raw HTTP to the gateway ({@link RawHttp}).
 */
public abstract class BadInputFixture {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Duration SOON = Duration.ofSeconds(40);
    static GatewayProcess gateway;
    static SimulatorProcess devices;
    static int livePort;
    static RawHttp rawHttp;

    @BeforeClass
    public static void start() {
        // goodbyeGrace was 8 s; a return comes within about 1 s (2.6 s the worst seen in CI, FaultsIT)
        gateway = GatewayProcess.start("bad-input-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.discovery", "goodbyeGrace", 5)
                .set("wasmiot.gateway.rest", "registerAllowedNetworks", "[\"127.0.0.1/32\"]"));
        devices = SimulatorProcess.start(gateway.dir, 5, "--name-prefix", "keep-");
        for (int i = 1; i <= 5; i++) {
            String name = String.format("keep-%04d", i);
            Await.until(name + " healthy", SOON, () -> gateway.healthyDevice(name));
        }
        livePort = devices.port("keep-0001");
        rawHttp = new RawHttp(gateway.port);
    }

    @AfterClass
    public static void stop() {
        if (devices != null) {
            devices.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** What must not change: each healthy stored device's identity, address and description. */
    static Map<String, String> snapshot() {
        Map<String, String> byId = new TreeMap<>();
        for (JsonNode device : gateway.devices()) {
            if (!device.path("name").asText().startsWith("keep-")) {
                continue;
            }
            ObjectNode stable = MAPPER.createObjectNode();
            for (String field : List.of("name", "communication", "description", "source")) {
                stable.set(field, device.get(field));
            }
            byId.put(device.get("_id").asText(), stable.toString());
        }
        return byId;
    }

    static void record(String word, int port, String txt) {
        devices.command("record " + word + " " + port + (txt.isEmpty() ? "" : " " + txt), "RECORDED " + word);
    }

    static JsonNode awaitListed(String name) {
        return Await.until("'" + name + "' listed", SOON, () -> {
            for (JsonNode device : gateway.devices()) {
                if (device.path("name").asText().equals(name) && device.at("/health/report").isObject()) {
                    return device;
                }
            }
            return null;
        });
    }
}
