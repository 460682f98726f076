package io.wasmiot.gateway.mdns.transport.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which interfaces mDNS uses: the named ones, or every interface that is up (with its carrier: a
 * pulled cable counts as down), multicast-capable, not point-to-point and with an IPv4 address;
 * the loopback only when named, or when there is no other (the loopback-only test namespace).
 */
final class InterfaceSelection {
    /** One interface in use and its IPv4 addresses. */
    record Selected(NetworkInterface nic, List<InetAddress> addresses) {
    }

    private InterfaceSelection() {
    }

    /** @throws SocketException when the interfaces cannot be listed at all */
    static Map<String, Selected> wanted(Set<String> named) throws SocketException {
        Map<String, Selected> selected = new LinkedHashMap<>();
        Selected loopback = null;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || !nic.supportsMulticast() || (!named.isEmpty() && !named.contains(nic.getName()))) {
                continue;
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    addresses.add(address);
                }
            }
            if (addresses.isEmpty()) {
                continue;
            }
            if (nic.isLoopback()) {
                loopback = new Selected(nic, addresses);
                if (named.contains(nic.getName())) {
                    selected.put(nic.getName(), loopback);
                }
            } else if (!nic.isPointToPoint()) {
                selected.put(nic.getName(), new Selected(nic, addresses));
            }
        }
        if (selected.isEmpty() && loopback != null && named.isEmpty()) {
            selected.put(loopback.nic().getName(), loopback);
        }
        return selected;
    }
}
