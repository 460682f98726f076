package io.wasmiot.gateway.mdns.transport.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * The one mDNS socket: bound to port 5353 on every address (shared with other responders on the
 * host, as RFC 6762 §15.1 expects), joined to 224.0.0.251 on each interface in use, read by one
 * thread that parses each datagram once and hands it on. Sends go out on one interface at a time
 * ({@code IP_MULTICAST_IF}), from port 5353.
 */
final class MdnsChannel implements AutoCloseable {
    static final InetSocketAddress GROUP = new InetSocketAddress(group(), 5353);
    /** RFC 6762 §17: a datagram is at most 9,000 bytes; larger ones are cut and fail to parse. */
    static final int MAX_DATAGRAM = 9000;
    private static final Logger LOG = LoggerFactory.getLogger(MdnsChannel.class);

    private final DatagramChannel channel;
    private final Map<String, MembershipKey> joined = new HashMap<>();
    private final Object sendLock = new Object();
    private final Thread receiver;
    private final BiConsumer<Message, InetSocketAddress> handler;
    private volatile boolean closed;

    final AtomicLong received = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final int receiveBufferBytes;

    /** Opens the socket and starts reading; {@code handler} is called on the reading thread. */
    MdnsChannel(int receiveBufferBytes, BiConsumer<Message, InetSocketAddress> handler, String threadName)
            throws IOException {
        this.handler = handler;
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            channel.bind(new InetSocketAddress(5353));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // devices on this host too
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.receiveBufferBytes = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        if (this.receiveBufferBytes < receiveBufferBytes) {
            LOG.info("mDNS: the kernel gives the socket a {} byte receive buffer, not {} (net.core.rmem_max)",
                    this.receiveBufferBytes, receiveBufferBytes);
        }
        receiver = new Thread(this::receiveLoop, threadName);
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            SocketAddress from;
            try {
                buffer.clear();
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("mDNS: reading the socket failed: {}", e.toString());
                }
                continue;
            }
            buffer.flip();
            received.incrementAndGet();
            Message message;
            try {
                message = new Message(buffer);
            } catch (IOException | RuntimeException e) {
                malformed.incrementAndGet(); // anyone on the link can send garbage: counted, not logged
                continue;
            }
            try {
                handler.accept(message, (InetSocketAddress) from);
            } catch (RuntimeException e) {
                LOG.warn("mDNS: handling a datagram from {} failed: {}", from, e.toString());
            }
        }
    }

    /** Joins the group on {@code nic} (again, if the interface was replaced). */
    void join(NetworkInterface nic) throws IOException {
        synchronized (joined) {
            MembershipKey old = joined.remove(nic.getName());
            if (old != null) {
                old.drop();
            }
            joined.put(nic.getName(), channel.join(GROUP.getAddress(), nic));
        }
    }

    /** Leaves the group on the interface named {@code name} (it may be gone already). */
    void leave(String name) {
        synchronized (joined) {
            MembershipKey key = joined.remove(name);
            if (key != null) {
                try {
                    key.drop();
                } catch (RuntimeException e) {
                    LOG.debug("mDNS: leaving the group on {}: {}", name, e.toString());
                }
            }
        }
    }

    /** Sends {@code wire} to the group out of {@code nic}. */
    void send(byte[] wire, NetworkInterface nic) throws IOException {
        synchronized (sendLock) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nic);
            channel.send(ByteBuffer.wrap(wire), GROUP);
        }
        sent.incrementAndGet();
    }

    /** Sends {@code wire} to one address (a legacy unicast answer, RFC 6762 §6.7). */
    void sendTo(byte[] wire, InetSocketAddress target) throws IOException {
        synchronized (sendLock) {
            channel.send(ByteBuffer.wrap(wire), target);
        }
        sent.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close(); // wakes the receiving thread
        } catch (IOException e) {
            LOG.debug("mDNS: closing the socket: {}", e.toString());
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetAddress group() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
