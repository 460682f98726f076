package io.wasmiot.gateway.core.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

import org.slf4j.Logger;

/** Where devices reach this gateway: the URL it tells them, and the HTTP port it falls back on. */
final class PublicUrl {
    private static final Logger LOG = CoreLog.LOG;

    private PublicUrl() {
    }

    /** The configured public URL, or {@code http://<first non-loopback IPv4 or 127.0.0.1>:<port>}. */
    static String of(String configured, int port) {
        if (configured != null && !configured.isBlank()) {
            String trimmed = configured.strip();
            return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        }
        String host = "127.0.0.1";
        try {
            outer:
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        host = address.getHostAddress();
                        break outer;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list interfaces for the public URL: {}", e.getMessage());
        }
        return "http://" + host + ":" + port;
    }

    /** The framework's {@code org.osgi.service.http.port}, or 3000 when it is unset or not a number. */
    static int port(String property) {
        try {
            return property == null ? 3000 : Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            return 3000;
        }
    }
}
