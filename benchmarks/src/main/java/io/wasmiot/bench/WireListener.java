package io.wasmiot.bench;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lowest floor: when each device's first mDNS response carrying its SRV record
 * ({@code <name>._webthing._tcp.local.}) is seen on the wire (224.0.0.251:5353 on the namespace's
 * loopback), whatever any browser does with it afterwards. A plain multicast socket and a minimal
 * DNS reader (names with compression, answer/authority/additional records).
 */
final class WireListener implements AutoCloseable {
    final Map<String, Long> firstSrvNanos = new ConcurrentHashMap<>();
    private final MulticastSocket socket;
    private final Thread thread;
    private volatile boolean closed;

    WireListener() throws Exception {
        socket = new MulticastSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(5353));
        socket.setReceiveBufferSize(4 << 20);
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        socket.joinGroup(new InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353), lo);
        socket.setSoTimeout(500);
        thread = new Thread(this::run, "mdns-wire-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        byte[] buf = new byte[9000];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (Exception e) {
                return;
            }
            long now = System.nanoTime();
            try {
                for (String name : srvInstances(p.getData(), p.getLength())) {
                    firstSrvNanos.putIfAbsent(name, now);
                }
            } catch (RuntimeException e) {
                // a packet we cannot read: skip it
            }
        }
    }

    /** Instance names (first label) of the SRV records of a DNS response; empty for a query. */
    static java.util.List<String> srvInstances(byte[] b, int len) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (len < 12 || (b[2] & 0x80) == 0) {
            return out;
        }
        int qd = u16(b, 4);
        int rr = u16(b, 6) + u16(b, 8) + u16(b, 10);
        int[] pos = {12};
        for (int i = 0; i < qd; i++) {
            readName(b, len, pos);
            pos[0] += 4;
        }
        for (int i = 0; i < rr && pos[0] < len; i++) {
            String name = readName(b, len, pos);
            int type = u16(b, pos[0]);
            int rdlen = u16(b, pos[0] + 8);
            pos[0] += 10;
            if (type == 33) {
                int dot = name.indexOf("._webthing._tcp.");
                if (dot > 0) {
                    out.add(name.substring(0, dot));
                }
            }
            pos[0] += rdlen;
        }
        return out;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    /** Reads a (possibly compressed) name at pos[0], advancing pos[0] past it. Labels joined with dots. */
    static String readName(byte[] b, int len, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int p = pos[0];
        boolean jumped = false;
        int hops = 0;
        while (p < len) {
            int l = b[p] & 0xff;
            if (l == 0) {
                p++;
                break;
            }
            if ((l & 0xc0) == 0xc0) {
                int target = ((l & 0x3f) << 8) | (b[p + 1] & 0xff);
                if (!jumped) {
                    pos[0] = p + 2;
                }
                jumped = true;
                p = target;
                if (++hops > 64) {
                    throw new IllegalArgumentException("name loop");
                }
                continue;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(b, p + 1, l, StandardCharsets.UTF_8));
            p += 1 + l;
        }
        if (!jumped) {
            pos[0] = p;
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
