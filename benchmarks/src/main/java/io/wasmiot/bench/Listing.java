package io.wasmiot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;

/** What a gateway lists ({@code GET /file/device}), as the phases judge it. */
final class Listing {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Listing() {
    }

    static boolean complete(JsonNode d) {
        return "active".equals(d.path("status").asText())
                && d.path("description").isObject() && d.path("description").size() > 0
                && d.path("health").path("report").isObject();
    }

    /** Names of the devices listed complete (active, description, health). */
    static Set<String> completeNames(GatewayProcess gw) throws Exception {
        Set<String> names = new HashSet<>();
        for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
            if (complete(d)) {
                names.add(d.path("name").asText());
            }
        }
        return names;
    }

    /** The first listed device's first address and port, {@code null} when none is listed. */
    static java.net.InetSocketAddress firstListedDevice(GatewayProcess gw) throws Exception {
        JsonNode list = JSON.readTree(gw.get("/file/device"));
        if (list.size() == 0) {
            return null;
        }
        JsonNode c = list.get(0).path("communication");
        return java.net.InetSocketAddress.createUnresolved(c.path("addresses").get(0).asText(), c.path("port").asInt());
    }
}
