package io.wasmiot.gateway.mdns.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;

/**
 * Turns a complete service instance (SRV, addresses, TXT) into a {@link Sighting} (docs/contract.md §2), or
 * explains why it cannot: every field comes from the network and is checked as hostile input.
 */
final class InstanceReader {
    private static final Pattern IPV4_LITERAL = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final int MAX_PATH_LENGTH = 255;

    private InstanceReader() {
    }

    /** The outcome: a sighting, or why the record was skipped. */
    record Result(Sighting sighting, String skipReason) {
        static Result skipped(String reason) {
            return new Result(null, reason);
        }
    }

    /**
     * @param name      the instance's name
     * @param port      its SRV port
     * @param addresses the addresses of its SRV target (A and AAAA records), in the order they came
     * @param txt       its TXT pairs, keys in lower case
     */
    static Result read(String name, int port, List<InetAddress> addresses, Map<String, String> txt, Instant now) {
        if (port < 1 || port > 65535) {
            return Result.skipped("SRV port " + port + " outside 1-65535");
        }
        List<String> usable = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (address instanceof Inet4Address && isUsable(address)) {
                addUnique(usable, address.getHostAddress());
            }
        }
        for (InetAddress address : addresses) {
            if (address instanceof Inet6Address ipv6) {
                usableIpv6(ipv6).ifPresent(text -> addUnique(usable, text));
            }
        }
        String txtAddress = txt.get("address");
        if (txtAddress != null && !txtAddress.isEmpty()) {
            if (IPV4_LITERAL.matcher(txtAddress).matches() && isUsable(txtAddress)) {
                addUnique(usable, txtAddress);
            } else if (usable.isEmpty()) {
                return Result.skipped("no A/AAAA record and TXT address is not a usable IPv4 literal");
            }
        }
        if (usable.isEmpty()) {
            return Result.skipped("no usable address (no A/AAAA record, no TXT address)");
        }
        List<String> bounded = usable.size() > Communication.MAX_ADDRESSES
                ? usable.subList(0, Communication.MAX_ADDRESSES) : usable;
        boolean tls = "1".equals(txt.get("tls"));
        String path = txt.get("path");
        if (path == null || path.isEmpty() || path.length() > MAX_PATH_LENGTH || !path.startsWith("/")) {
            path = "/";
        }
        try {
            return new Result(new Sighting(name, new Communication(bounded, port, tls, path), WebthingBrowser.SOURCE_ID, now),
                    null);
        } catch (IllegalArgumentException e) {
            return Result.skipped(e.getMessage());
        }
    }

    private static void addUnique(List<String> addresses, String address) {
        if (!addresses.contains(address)) {
            addresses.add(address);
        }
    }

    /** Link-local IPv6 needs a scope to be reachable; without one it is skipped (docs/contract.md §2). */
    private static Optional<String> usableIpv6(Inet6Address address) {
        if (address.isMulticastAddress() || address.isAnyLocalAddress()) {
            return Optional.empty();
        }
        if (address.isLinkLocalAddress() && address.getScopeId() == 0 && address.getScopedInterface() == null) {
            return Optional.empty();
        }
        return Optional.of(address.getHostAddress());
    }

    private static boolean isUsable(String ipv4Literal) {
        try {
            return isUsable(InetAddress.getByName(ipv4Literal)); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Unspecified, multicast and broadcast addresses are never a device's. */
    private static boolean isUsable(InetAddress address) {
        return !address.isMulticastAddress() && !address.isAnyLocalAddress()
                && !address.getHostAddress().equals("255.255.255.255");
    }
}
