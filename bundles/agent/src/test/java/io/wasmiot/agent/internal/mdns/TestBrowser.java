package io.wasmiot.agent.internal.mdns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * An independent mDNS listener for tests: its own socket on 5353 (joined on loopback), every
 * datagram kept with its arrival time, and a small cache of {@code _webthing._tcp} services as
 * the announcements and answers describe them (TTL 0 removes and counts a goodbye). Shares no
 * code with the responder but dnsjava's parser.
 */
public final class TestBrowser implements AutoCloseable {
    public static final Name TYPE = MdnsNames.SERVICE_TYPE;

    /** A datagram as it arrived; {@code message} is null when it did not parse. */
    public record Received(long nanos, InetSocketAddress sender, int bytes, Message message) {
        public boolean isResponse() {
            return message != null && message.getHeader().getFlag(Flags.QR);
        }

        public boolean isQuery() {
            return message != null && !message.getHeader().getFlag(Flags.QR);
        }

        public List<Record> records(int section) {
            return message == null ? List.of() : message.getSection(section);
        }

        /** A response to a question: announcements carry every record as an answer, answers add additionals. */
        public boolean isAnswer() {
            return isResponse() && !message.getSection(Section.ADDITIONAL).isEmpty();
        }

        /** A response with an SRV (TTL above 0) for {@code name} among its answers: an announcement or an SRV answer. */
        public boolean hasSrvAnswer(String name) {
            return isResponse() && message.getSection(Section.ANSWER).stream().anyMatch(r -> r instanceof SRVRecord
                    && r.getTTL() > 0 && MdnsNames.firstLabel(r.getName()).equals(name));
        }

        /** An announcement of {@code name}: every record of it among the answers, none as additionals. */
        public boolean announces(String name) {
            return hasSrvAnswer(name) && message.getSection(Section.ADDITIONAL).isEmpty();
        }
    }

    /** What the wire says about one instance. */
    public record Service(String name, int port, Name target, long srvTtl, Map<String, String> txt, long txtTtl,
                          long ptrTtl) {
    }

    private final DatagramChannel channel;
    private final Thread receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final Map<Name, Inet4Address> addresses = new ConcurrentHashMap<>();
    private final List<String> goodbyes = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public TestBrowser() throws IOException {
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"));
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(5353));
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        channel.join(MdnsSocket.GROUP.getAddress(), loopback);
        receiver = new Thread(this::receive, "test-browser");
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (!closed) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                long now = System.nanoTime();
                buffer.flip();
                Message message = null;
                try {
                    message = new Message(buffer.duplicate());
                } catch (IOException | RuntimeException e) {
                    // kept as a corrupt datagram
                }
                if (message != null && message.getHeader().getFlag(Flags.QR)) {
                    cache(message);
                }
                received.add(new Received(now, from, buffer.remaining(), message));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void cache(Message message) {
        List<Record> records = new ArrayList<>(message.getSection(Section.ANSWER));
        records.addAll(message.getSection(Section.ADDITIONAL));
        for (Record record : records) {
            if (record instanceof ARecord a) {
                addresses.put(a.getName(), (Inet4Address) a.getAddress());
            }
        }
        for (Record record : records) {
            String name = record.getName().equals(TYPE) && record instanceof PTRRecord ptr
                    ? MdnsNames.firstLabel(ptr.getTarget()) : MdnsNames.firstLabel(record.getName());
            if (record.getTTL() == 0) {
                if ((record instanceof PTRRecord && record.getName().equals(TYPE) || record instanceof SRVRecord)
                        && services.remove(name) != null) {
                    goodbyes.add(name);
                }
                continue;
            }
            if (record instanceof PTRRecord ptr && ptr.getName().equals(TYPE)) {
                services.compute(name, (k, s) -> s == null ? new Service(name, -1, null, 0, Map.of(), 0, ptr.getTTL())
                        : new Service(name, s.port(), s.target(), s.srvTtl(), s.txt(), s.txtTtl(), ptr.getTTL()));
            } else if (record instanceof SRVRecord srv) {
                services.compute(name, (k, s) -> s == null
                        ? new Service(name, srv.getPort(), srv.getTarget(), srv.getTTL(), Map.of(), 0, 0)
                        : new Service(name, srv.getPort(), srv.getTarget(), srv.getTTL(), s.txt(), s.txtTtl(), s.ptrTtl()));
            } else if (record instanceof TXTRecord txt) {
                Map<String, String> values = new LinkedHashMap<>();
                for (byte[] string : txt.getStringsAsByteArrays()) {
                    String text = new String(string, StandardCharsets.UTF_8);
                    int equals = text.indexOf('=');
                    values.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
                }
                services.compute(name, (k, s) -> s == null ? new Service(name, -1, null, 0, values, txt.getTTL(), 0)
                        : new Service(name, s.port(), s.target(), s.srvTtl(), values, txt.getTTL(), s.ptrTtl()));
            }
        }
    }

    /** Every datagram so far (own queries included). */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    public void clear() {
        received.clear();
        goodbyes.clear();
    }

    public Service service(String name) {
        return services.get(name);
    }

    public Map<String, Service> services() {
        return Map.copyOf(services);
    }

    /** The address of {@code name}'s SRV target, if an A record for it came. */
    public Inet4Address address(String name) {
        Service service = services.get(name);
        return service == null || service.target() == null ? null : addresses.get(service.target());
    }

    /** Whether {@code name} is known with this port, the TXT of a device on 127.0.0.1 and an A record. */
    public boolean resolved(String name, int port) {
        Service service = services.get(name);
        Inet4Address address = address(name);
        return service != null && service.port() == port && address != null
                && "127.0.0.1".equals(address.getHostAddress()) && "/".equals(service.txt().get("path"))
                && "0".equals(service.txt().get("tls")) && "127.0.0.1".equals(service.txt().get("address"));
    }

    /** Waits until each of {@code names} was announced three times (its announcing is over). */
    public void awaitAnnounced(java.time.Duration timeout, String... names) {
        io.wasmiot.agent.internal.Await.until(() -> "three announcements of each of " + List.of(names), timeout,
                () -> java.util.Arrays.stream(names).allMatch(n -> received(d -> d.announces(n)).size() >= 3));
    }

    /** Names that said goodbye (TTL 0) while cached. */
    public List<String> goodbyes() {
        return List.copyOf(goodbyes);
    }

    /** Multicasts {@code query} from port 5353. */
    public void send(Message query) throws IOException {
        channel.send(ByteBuffer.wrap(query.toWire()), MdnsSocket.GROUP);
    }

    /** A question of {@code type} for {@code name}, with {@code known} answers. */
    public static Message query(Name name, int type, Record... known) {
        Message query = new Message(0);
        query.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
        for (Record record : known) {
            query.addRecord(record, Section.ANSWER);
        }
        return query;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // the test is over
        }
        receiver.join(2000);
    }
}
