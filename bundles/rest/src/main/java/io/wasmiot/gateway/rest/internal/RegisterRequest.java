package io.wasmiot.gateway.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;

/**
 * The register body of the reference supervisors (docs/contract.md §6), checked and turned into a sighting.
 * {@code {"name","type","port","properties":{"path","tls","address"},"addresses":[...],"host","protocol"}};
 * everything is optional, unknown fields are ignored.
 */
final class RegisterRequest {
    static final int DEFAULT_PORT = 5000;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("(?=.*:)[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,32})?");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");

    private final Executor resolver;
    private final long resolveTimeoutMillis;

    /** @param resolver runs name lookups, which are bounded by {@code resolveTimeoutMillis} */
    RegisterRequest(Executor resolver, long resolveTimeoutMillis) {
        this.resolver = resolver;
        this.resolveTimeoutMillis = resolveTimeoutMillis;
    }

    /** A register body that cannot be accepted, with the reason for the 400 answer. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    Sighting parse(JsonNode body, String requestAddress, Instant now) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid("the register body must be a JSON object");
        }
        int port = port(body.get("port"));
        JsonNode properties = body.path("properties");
        if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
            throw new Invalid("'properties' must be an object");
        }
        List<String> addresses = new ArrayList<>();
        JsonNode listed = body.get("addresses");
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray()) {
                throw new Invalid("'addresses' must be an array of IP addresses or host names");
            }
            if (listed.size() > Communication.MAX_ADDRESSES) {
                throw new Invalid("at most " + Communication.MAX_ADDRESSES + " addresses, got " + listed.size());
            }
            for (Iterator<JsonNode> it = listed.elements(); it.hasNext(); ) {
                JsonNode element = it.next();
                if (!element.isTextual()) {
                    throw new Invalid("'addresses' must hold strings");
                }
                for (String resolved : resolve(element.asText())) {
                    addUnique(addresses, resolved);
                }
            }
        }
        if (addresses.isEmpty()) {
            addresses.add(usable(requestAddress, "the request's own address"));
        }
        String backup = text(properties, "address");
        if (backup != null && !backup.isEmpty()) {
            if (!IPV4_LITERAL.matcher(backup).matches()) {
                throw new Invalid("'properties.address' must be an IPv4 address: " + shown(backup));
            }
            addUnique(addresses, usable(backup, "'properties.address'"));
        }
        if (addresses.size() > Communication.MAX_ADDRESSES) {
            throw new Invalid("at most " + Communication.MAX_ADDRESSES + " addresses");
        }
        boolean tls = "1".equals(text(properties, "tls")) || "https".equalsIgnoreCase(text(body, "protocol"));
        String path = text(properties, "path");
        if (path == null || path.isEmpty() || !path.startsWith("/") || path.length() > 255) {
            path = "/";
        }
        String name = firstNonBlank(text(body, "name"), text(body, "host"), requestAddress);
        try {
            return new Sighting(name, new Communication(addresses, port, tls, path), RegisterSource.ID, now);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static int port(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return DEFAULT_PORT;
        }
        long port;
        if (node.isIntegralNumber()) {
            // bigIntegerValue: asLong() would keep only the low 64 bits of a huge number
            java.math.BigInteger value = node.bigIntegerValue();
            port = value.bitLength() > 31 ? -1 : value.longValue();
        } else if (node.isTextual() && node.asText().matches("\\d{1,5}")) {
            port = Long.parseLong(node.asText());
        } else {
            throw new Invalid("'port' must be a number from 1 to 65535");
        }
        if (port < 1 || port > 65535) {
            throw new Invalid("'port' outside 1-65535: " + shown(node.asText()));
        }
        return (int) port;
    }

    /** An IP literal as it is, or a host name looked up (bounded in time); refused kinds of address fail. */
    private List<String> resolve(String address) throws Invalid {
        String trimmed = address.strip();
        if (isIpLiteral(trimmed)) {
            return List.of(usable(trimmed, "address"));
        }
        if (trimmed.length() > 253 || !HOST_NAME.matcher(trimmed).matches()) {
            throw new Invalid("not an IP address or host name: " + shown(trimmed));
        }
        if (NUMERIC_LABEL.matcher(lastLabel(trimmed)).matches()) {
            // Not a host name (no top-level label is numeric, RFC 3696 §2), and the JDK would take
            // "1.2.3" or "0x7f.1" as an IPv4 shorthand (1.2.0.3): refused, not guessed at.
            throw new Invalid("address is not an IP address: " + shown(trimmed));
        }
        CompletableFuture<InetAddress[]> lookup;
        try {
            lookup = CompletableFuture.supplyAsync(() -> {
                try {
                    return InetAddress.getAllByName(trimmed);
                } catch (UnknownHostException e) {
                    return new InetAddress[0];
                }
            }, resolver);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new Invalid("too many host name lookups at once; send IP addresses or try again");
        }
        InetAddress[] found;
        try {
            found = lookup.get(resolveTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new Invalid("host name " + shown(trimmed) + " did not resolve within " + resolveTimeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw new Invalid("host name " + shown(trimmed) + " cannot be resolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Invalid("interrupted resolving " + shown(trimmed));
        }
        if (found.length == 0) {
            throw new Invalid("host name " + shown(trimmed) + " cannot be resolved");
        }
        List<String> addresses = new ArrayList<>();
        for (InetAddress resolved : found) {
            addUnique(addresses, usable(resolved.getHostAddress(), "address of " + trimmed));
        }
        return addresses;
    }

    private static final java.util.regex.Pattern NUMERIC_LABEL =
            java.util.regex.Pattern.compile("(?i)[0-9]+|0x[0-9a-f]*");

    private static String lastLabel(String hostName) {
        String name = hostName.endsWith(".") ? hostName.substring(0, hostName.length() - 1) : hostName;
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Only these are handed to InetAddress.getByName, which then parses and never looks up. */
    private static boolean isIpLiteral(String text) {
        return IPV4_LITERAL.matcher(text).matches() || IPV6_LITERAL.matcher(text).matches();
    }

    /** Multicast, broadcast and unspecified addresses are never a device's (docs/contract.md §6). */
    private static String usable(String given, String what) throws Invalid {
        // Jetty gives IPv6 remote addresses in brackets.
        String literal = given.startsWith("[") && given.endsWith("]") ? given.substring(1, given.length() - 1) : given;
        InetAddress address;
        try {
            if (IPV4_LITERAL.matcher(literal).matches()) {
                for (String part : literal.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        throw new Invalid(what + " is not an IP address: " + shown(literal));
                    }
                }
            } else if (!IPV6_LITERAL.matcher(literal).matches()) {
                throw new Invalid(what + " is not an IP address: " + shown(literal));
            }
            address = InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException | SecurityException e) {
            throw new Invalid(what + " is not an IP address: " + shown(literal));
        }
        if (address.isMulticastAddress()) {
            throw new Invalid(what + " is a multicast address: " + literal);
        }
        if (address.isAnyLocalAddress()) {
            throw new Invalid(what + " is the unspecified address: " + literal);
        }
        if (address.getHostAddress().equals("255.255.255.255")) { // also when spelled ::ffff:255.255.255.255
            throw new Invalid(what + " is a broadcast address: " + literal);
        }
        return address.getHostAddress();
    }

    private static String text(JsonNode node, String field) throws Invalid {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isValueNode() || value.isBinary()) {
            throw new Invalid("'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }

    private static void addUnique(List<String> addresses, String address) {
        if (!addresses.contains(address)) {
            addresses.add(address);
        }
    }

    /** Echoed input is cut short and kept on one line. */
    static String shown(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return "'" + (oneLine.length() > 64 ? oneLine.substring(0, 64) + "..." : oneLine) + "'";
    }
}
