package io.wasmiot.gateway.rest.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of CIDR blocks; empty allows every address. */
final class NetworkList {
    private final List<Block> blocks;

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not().and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private NetworkList(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** @throws IllegalArgumentException for a block that is not {@code <IP literal>/<prefix>} */
    static NetworkList parse(String[] cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            String trimmed = cidr.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("/", 2);
            byte[] network = literal(parts[0]);
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + trimmed);
            }
            blocks.add(new Block(network, prefix));
        }
        return new NetworkList(List.copyOf(blocks));
    }

    boolean allows(String address) {
        if (blocks.isEmpty()) {
            return true;
        }
        // Jetty gives IPv6 remote addresses in brackets.
        String text = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        byte[] bytes;
        try {
            bytes = literal(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] literal(String text) {
        // Only literals reach InetAddress.getByName, which then parses and never looks up ("cafe" is a name).
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !text.matches("(?=.*:)[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }
}
