package io.wasmiot.bench.jmh;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Device documents shaped like the simulator's (a supervisor's description, a health report). */
public final class Devices {
    /** The shape of the simulator's generated description (HostDescription), about 600 bytes. */
    public static final String DESCRIPTION = "{\"platform\":{\"memory\":{\"bytes\":16777216000},"
            + "\"cpu\":{\"humanReadableName\":\"Intel(R) Xeon(R) CPU @ 2.20GHz\",\"clockSpeed\":{\"Hz\":2200000000},\"coreCount\":2},"
            + "\"network\":{\"humanReadableName\":\"eth0\",\"ipv4\":\"127.0.0.1\",\"ipv6\":\"::1\"},"
            + "\"storage\":{\"bytes\":107374182400}},"
            + "\"supervisorInterfaces\":[\"http\",\"wasm3\",\"camera\",\"temperature\"],"
            + "\"skeleton\":{\"paths\":{\"/\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}}},"
            + "\"version\":\"0.1.0\",\"name\":\"wasmiot-supervisor\"}";
    public static final String HEALTH = "{\"cpuUsage\":0.123456,\"memoryUsage\":0.456789}";

    private Devices() {
    }

    /** {@code n} introduced devices named bench-0000.., checked once, active. */
    public static List<Device> make(int n) {
        Instant now = Instant.now();
        List<Device> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Device d = Device.introduced(String.format("bench-%04d", i),
                    new Communication(List.of("127.0.0.1"), 40000 + i, false, "/"), DESCRIPTION, "mdns", now);
            out.add(d.withHealthCheck(new Health(HEALTH, now), 0, 1));
        }
        return out;
    }
}
