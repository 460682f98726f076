package io.wasmiot.gateway.api.model;

import java.util.List;
import java.util.Objects;

/**
 * Where a device answers.
 *
 * @param addresses IP literals to try, best first (IPv6 without brackets; link-local ones scoped)
 * @param port the device's HTTP port
 * @param tls whether the device speaks https (TXT {@code tls=1})
 * @param path the TXT {@code path}, kept as advertised
 */
public record Communication(List<String> addresses, int port, boolean tls, String path) {
    public static final int MAX_ADDRESSES = 16;

    public Communication {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a device needs at least one address");
        }
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("a device has at most " + MAX_ADDRESSES + " addresses, got " + addresses.size());
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port outside 1-65535: " + port);
        }
        path = Objects.requireNonNullElse(path, "/");
    }

    public Communication(List<String> addresses, int port) {
        this(addresses, port, false, "/");
    }

    public String scheme() {
        return tls ? "https" : "http";
    }

    public Communication withAddresses(List<String> newAddresses) {
        return new Communication(newAddresses, port, tls, path);
    }
}
