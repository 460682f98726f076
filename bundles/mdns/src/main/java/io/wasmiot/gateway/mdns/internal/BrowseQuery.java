package io.wasmiot.gateway.mdns.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A browse query sent at once. jmdns sends its first query for a service type 225 ms after the
 * listener is added ({@code DNSResolverTask} schedules it so), and has no call that asks now; devices
 * already advertising answer this one instead, so a starting gateway finds them that much sooner.
 * jmdns's own queries follow as before; the answers are read by jmdns like any other.
 *
 * <p>The packet is an RFC 6762 query with one question: the type's PTR records, class IN, asking
 * for multicast answers (so every browser on the link, jmdns included, caches them).
 */
final class BrowseQuery {
    static final InetSocketAddress MDNS_IPV4 = new InetSocketAddress(mdnsGroup(), 5353);
    private static final int TYPE_PTR = 12;
    private static final int CLASS_IN = 1;

    private BrowseQuery() {
    }

    /** The query's bytes for a service type such as {@code _webthing._tcp.local.}. */
    static byte[] packet(String serviceType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        // Header: id 0 (RFC 6762 §18.1), flags 0 (a standard query), one question, no records.
        out.writeBytes(new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : serviceType.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("not a DNS name: " + serviceType);
            }
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.write(TYPE_PTR >> 8);
        out.write(TYPE_PTR);
        out.write(CLASS_IN >> 8); // top bit clear: multicast answers (QM)
        out.write(CLASS_IN);
        return out.toByteArray();
    }

    private static InetAddress mdnsGroup() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // never: four bytes are an IPv4 address
        }
    }

    /** Sends the query for the type on the socket (jmdns's own, bound to 5353 and in the group). */
    static void send(DatagramSocket socket, String serviceType) throws IOException {
        byte[] bytes = packet(serviceType);
        socket.send(new DatagramPacket(bytes, bytes.length, MDNS_IPV4));
    }
}
