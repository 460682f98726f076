package io.wasmiot.gateway.source.statics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;

/**
 * One configured device, validated.
 *
 * @param pid the configuration it comes from
 */
record StaticDevice(String pid, String name, Communication communication) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[\\w.-]{1,32})?");

    /**
     * @throws IllegalArgumentException with what is wrong, in an operator's words
     */
    static StaticDevice of(String pid, StaticDeviceConfig config) {
        String name = config.name() == null ? "" : config.name().strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name is missing");
        }
        if (name.length() > Sighting.MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name is not 1-" + Sighting.MAX_NAME_LENGTH
                    + " characters without control characters");
        }
        String address = literal(config.address());
        if (config.port() < 1 || config.port() > 65535) {
            throw new IllegalArgumentException("port " + config.port() + " is outside 1-65535");
        }
        return new StaticDevice(pid, name, new Communication(List.of(address), config.port(), config.tls(), "/"));
    }

    /** An IP literal a device can answer at; never a host name (no DNS lookup on the configuration thread). */
    private static String literal(String text) {
        String address = text == null ? "" : text.strip();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        boolean v4 = IPV4.matcher(address).matches()
                && Pattern.compile("\\.").splitAsStream(address).allMatch(octet -> Integer.parseInt(octet) <= 255);
        if (!v4 && !(address.contains(":") && IPV6.matcher(address).matches())) {
            throw new IllegalArgumentException("address '" + text + "' is not an IP address");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address '" + text + "' is not an IP address");
        }
        if (parsed.isAnyLocalAddress() || parsed.isMulticastAddress()
                || (v4 && address.equals("255.255.255.255"))) {
            throw new IllegalArgumentException("address " + address + " cannot be a device's");
        }
        return address;
    }

    @Override
    public String toString() {
        return name + " at " + communication.addresses().get(0) + " port " + communication.port()
                + (communication.tls() ? " (https)" : "");
    }
}
