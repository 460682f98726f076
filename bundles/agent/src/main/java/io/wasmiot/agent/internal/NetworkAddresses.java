package io.wasmiot.agent.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the address a device advertises when none is configured. */
public final class NetworkAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkAddresses.class);

    private NetworkAddresses() {
    }

    /**
     * The first (lowest interface index) up, multicast-capable, non-loopback interface's IPv4
     * address that is not link-local; {@code 127.0.0.1} when there is none (a loopback-only host,
     * such as the test namespace).
     */
    public static Inet4Address defaultAdvertisedAddress() {
        try {
            List<NetworkInterface> interfaces = new ArrayList<>();
            NetworkInterface.networkInterfaces().forEach(interfaces::add);
            interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
            for (NetworkInterface candidate : interfaces) {
                if (!candidate.isUp() || candidate.isLoopback() || !candidate.supportsMulticast()) {
                    continue;
                }
                for (InetAddress address : java.util.Collections.list(candidate.getInetAddresses())) {
                    if (address instanceof Inet4Address ipv4 && !ipv4.isLinkLocalAddress()) {
                        return ipv4;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("Cannot list network interfaces ({}); advertising 127.0.0.1", e.getMessage());
        }
        return loopback();
    }

    /** Parses an IPv4 literal (never a host name: no DNS look-up). */
    public static Inet4Address parseIpv4(String text) {
        String trimmed = text == null ? "" : text.trim();
        String[] parts = trimmed.split("\\.", -1);
        byte[] bytes = new byte[4];
        boolean valid = parts.length == 4;
        for (int i = 0; valid && i < 4; i++) {
            valid = parts[i].matches("\\d{1,3}") && Integer.parseInt(parts[i]) <= 255;
            if (valid) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address", e);
        }
    }

    static Inet4Address loopback() {
        return parseIpv4("127.0.0.1");
    }
}
