package io.wasmiot.agent.internal.mdns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * The responder's one socket: port 5353 on every address (SO_REUSEADDR: shared with the other
 * responders and browsers of the host, RFC 6762 §15.1), joined to 224.0.0.251 on the interface of
 * the advertised address, sending out of that interface with multicast loop on (every process of
 * a test runs on one loopback interface). One thread reads; it drops our own datagrams coming back
 * ({@link OwnEchoes}) and datagrams that do not parse, and hands the rest on.
 */
final class MdnsSocket implements AutoCloseable {
    static final InetSocketAddress GROUP = new InetSocketAddress(group(), 5353);
    private static final int RECEIVE_BUFFER = 9000;
    private static final Logger LOG = LoggerFactory.getLogger(MdnsSocket.class);

    /** A datagram that parsed. */
    record Inbound(Message message, InetSocketAddress sender) {
    }

    private final DatagramChannel channel;
    private final OwnEchoes echoes = new OwnEchoes();
    private final Consumer<Inbound> handler;
    private final Thread receiver;
    private volatile boolean closed;
    final AtomicLong malformed = new AtomicLong();

    MdnsSocket(Inet4Address address, int receiveBufferBytes, Consumer<Inbound> handler, String threadName)
            throws IOException {
        NetworkInterface nic = NetworkInterface.getByInetAddress(address);
        if (nic == null) {
            throw new IOException("no network interface has the address " + address.getHostAddress());
        }
        this.handler = handler;
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            channel.bind(new InetSocketAddress(5353));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nic);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255); // RFC 6762 §11
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.join(GROUP.getAddress(), nic);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        receiver = new Thread(this::receiveLoop, threadName);
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        while (!closed) {
            InetSocketAddress from;
            try {
                buffer.clear();
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("mDNS: reading the socket failed: {}", e.toString());
                }
                continue;
            }
            buffer.flip();
            if (echoes.isOwn(buffer, System.nanoTime())) {
                continue;
            }
            Message message;
            try {
                message = new Message(buffer);
            } catch (IOException | RuntimeException e) {
                malformed.incrementAndGet(); // anyone on the link may send garbage: counted, not logged
                continue;
            }
            try {
                handler.accept(new Inbound(message, from));
            } catch (RuntimeException e) {
                LOG.warn("mDNS: handling a datagram from {} failed: {}", from, e.toString());
            }
        }
    }

    /** Sends {@code datagram} to 224.0.0.251:5353. */
    void multicast(byte[] datagram) {
        sendTo(datagram, GROUP);
    }

    /** Sends {@code datagram} to {@code target} (legacy unicast answers, RFC 6762 §6.7). */
    void sendTo(byte[] datagram, InetSocketAddress target) {
        echoes.sent(datagram, System.nanoTime());
        try {
            channel.send(ByteBuffer.wrap(datagram), target);
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("mDNS: sending {} bytes to {} failed: {}", datagram.length, target, e.toString());
            }
        }
    }

    /** Closes the socket and waits (bounded) for the reading thread to end. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close(); // wakes the reading thread
        } catch (IOException e) {
            LOG.debug("mDNS: closing the socket: {}", e.toString());
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean receiverAlive() {
        return receiver.isAlive();
    }

    private static InetAddress group() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
