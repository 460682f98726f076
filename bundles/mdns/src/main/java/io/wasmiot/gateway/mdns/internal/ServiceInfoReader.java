package io.wasmiot.gateway.mdns.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.jmdns.ServiceInfo;

import io.wasmiot.gateway.api.Communication;
import io.wasmiot.gateway.api.DeviceSource;
import io.wasmiot.gateway.api.Sighting;

/**
 * Turns a resolved jmdns service into a {@link Sighting} (SPEC §2), or explains why it cannot:
 * every field comes from the network and is checked as hostile input.
 */
final class ServiceInfoReader {
    private static final Pattern IPV4_LITERAL = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final int MAX_PATH_LENGTH = 255;

    private ServiceInfoReader() {
    }

    /** The outcome: a sighting, or why the record was skipped. */
    record Result(Sighting sighting, String skipReason) {
        static Result skipped(String reason) {
            return new Result(null, reason);
        }
    }

    static Result read(ServiceInfo info, Instant now) {
        String name = info.getName();
        int port = info.getPort();
        if (port < 1 || port > 65535) {
            return Result.skipped("SRV port " + port + " outside 1-65535");
        }
        List<String> addresses = new ArrayList<>();
        for (Inet4Address address : info.getInet4Addresses()) {
            if (isUsable(address)) {
                addUnique(addresses, address.getHostAddress());
            }
        }
        for (Inet6Address address : info.getInet6Addresses()) {
            usableIpv6(address).ifPresent(text -> addUnique(addresses, text));
        }
        String txtAddress = info.getPropertyString("address");
        if (txtAddress != null && !txtAddress.isEmpty()) {
            if (IPV4_LITERAL.matcher(txtAddress).matches() && isUsable(txtAddress)) {
                addUnique(addresses, txtAddress);
            } else if (addresses.isEmpty()) {
                return Result.skipped("no A/AAAA record and TXT address is not a usable IPv4 literal");
            }
        }
        if (addresses.isEmpty()) {
            return Result.skipped("no usable address (no A/AAAA record, no TXT address)");
        }
        List<String> bounded = addresses.size() > Communication.MAX_ADDRESSES
                ? addresses.subList(0, Communication.MAX_ADDRESSES) : addresses;
        boolean tls = "1".equals(info.getPropertyString("tls"));
        String path = info.getPropertyString("path");
        if (path == null || path.isEmpty() || path.length() > MAX_PATH_LENGTH || !path.startsWith("/")) {
            path = "/";
        }
        try {
            return new Result(new Sighting(name, new Communication(bounded, port, tls, path), DeviceSource.MDNS, now),
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

    /** Link-local IPv6 needs a scope to be reachable; without one it is skipped (SPEC §2). */
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
