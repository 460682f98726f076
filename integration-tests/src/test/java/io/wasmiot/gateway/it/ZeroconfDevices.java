package io.wasmiot.gateway.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Devices advertised by python-zeroconf ({@link ZeroconfAdvertiser}), as the reference Python
 * supervisors are, their HTTP served by a {@code --no-mdns} simulator at the same address.
 */
final class ZeroconfDevices implements AutoCloseable {
    private final SimulatorProcess http;
    private final ZeroconfAdvertiser advertiser;
    private final String version;

    private ZeroconfDevices(SimulatorProcess http, ZeroconfAdvertiser advertiser, String version) {
        this.http = http;
        this.advertiser = advertiser;
        this.version = version;
    }

    /**
     * {@code count} devices named {@code namePrefix0001...} advertised by python-zeroconf on
     * {@code address}, run with {@code prefix} (a lab host's); {@code null} where python-zeroconf is
     * not installed (outside CI).
     */
    static ZeroconfDevices startIfAvailable(List<String> prefix, Path logDir, String address, String namePrefix,
            int count) {
        String version = ZeroconfAdvertiser.installedVersion();
        if (version == null) {
            return null;
        }
        SimulatorProcess http = SimulatorProcess.start(prefix, logDir, count, "--no-mdns", "--name-prefix", namePrefix,
                "--mdns-address", address);
        try {
            ZeroconfAdvertiser advertiser = ZeroconfAdvertiser.start(prefix, logDir, address, 0, 0);
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (int i = 1; i <= count; i++) {
                String name = String.format("%s%04d", namePrefix, i);
                ports.put(name, http.port(name));
            }
            advertiser.advertise(ports);
            return new ZeroconfDevices(http, advertiser, version);
        } catch (RuntimeException | AssertionError e) {
            http.close();
            throw e;
        }
    }

    String version() {
        return version;
    }

    /** The simulator that serves these devices' HTTP (their ports). */
    SimulatorProcess http() {
        return http;
    }

    @Override
    public void close() {
        advertiser.kill();
        http.close();
    }
}
