package io.wasmiot.gateway.mdns.transport.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.wasmiot.gateway.mdns.transport.DnsLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.xbill.DNS.Type;

/**
 * The gateway's own {@code <name>._webthing._tcp.local.} (RFC 6762/6763): probed (three queries
 * 250 ms apart; a name someone else answers for becomes {@code name (2)}, {@code name (3)}...),
 * announced twice a second apart, answered when asked (the PTR after 20-120 ms, the rest at once,
 * known answers suppressed, legacy unicast questions answered by unicast), defended, and said
 * goodbye to (TTL 0). Lifetimes as python-zeroconf's: 120 s for SRV and A, 75 min for PTR and TXT.
 *
 * <p>The host name is {@code wasmiot-gateway-<first IPv4, dashed>-<port>.local.}: unique per address
 * and port, so it needs no probing of its own (several gateways may share a machine).
 *
 * <p>Thread safety: {@link #received} comes on the transport's receiving thread, the rest on its
 * timer thread; the state is guarded by this object's monitor.
 */
final class SelfAdvertisement {
    static final Name SERVICE_TYPE = Name.fromConstantString("_webthing._tcp.local.");
    static final Name SERVICES = Name.fromConstantString("_services._dns-sd._udp.local.");
    static final long HOST_TTL = 120;
    static final long OTHER_TTL = 4500;
    static final int CACHE_FLUSH = 0x8000;
    private static final int MAX_RENAMES = 99;
    private static final Logger LOG = LoggerFactory.getLogger(SelfAdvertisement.class);

    /** How the advertisement reaches the wire: per interface, with that interface's addresses. */
    interface Wire {
        /** The interfaces in use, each with its IPv4 addresses. */
        List<InterfaceSelection.Selected> interfaces();

        void multicast(InterfaceSelection.Selected nic, Message message);

        void unicast(InetSocketAddress target, Message message);
    }

    private enum State { PROBING, ANNOUNCED, STOPPED }

    private final String baseName;
    private final int port;
    private final Name host;
    private final Wire wire;
    private final ScheduledExecutorService timer;

    private State state = State.PROBING;
    private String instanceName;
    private Name instance;
    private int renames;
    /** Counts probe rounds, so a round cut short by a conflict stops sending. */
    private int round;
    private long lastPtrAnswerNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);

    SelfAdvertisement(String baseName, int port, InetAddress firstAddress, Wire wire, ScheduledExecutorService timer) {
        this.baseName = baseName;
        this.port = port;
        this.host = Name.fromConstantString(
                "wasmiot-gateway-" + firstAddress.getHostAddress().replace('.', '-') + "-" + port + ".local.");
        this.wire = wire;
        this.timer = timer;
        this.instanceName = baseName;
        this.instance = DnsLabels.child(baseName, SERVICE_TYPE);
    }

    /** Starts probing the name, then announces it. */
    synchronized void start() {
        probe(ThreadLocalRandom.current().nextInt(250));
    }

    /** The instance name in use (after any renaming). */
    synchronized String instanceName() {
        return instanceName;
    }

    private void probe(long delayMillis) {
        int thisRound = ++round;
        for (int i = 0; i < 3; i++) {
            int probeNumber = i;
            timer.schedule(() -> sendProbe(thisRound, probeNumber), delayMillis + 250L * i, TimeUnit.MILLISECONDS);
        }
        timer.schedule(() -> probed(thisRound), delayMillis + 750, TimeUnit.MILLISECONDS);
    }

    private synchronized void sendProbe(int thisRound, int probeNumber) {
        if (state != State.PROBING || thisRound != round) {
            return;
        }
        for (InterfaceSelection.Selected nic : wire.interfaces()) {
            Message probe = new Message(0);
            probe.addRecord(Record.newRecord(instance, Type.ANY, DClass.IN | (probeNumber == 0 ? CACHE_FLUSH : 0)),
                    Section.QUESTION); // the first asks for unicast answers (QU), as RFC 6762 §8.1 says
            probe.addRecord(srv(DClass.IN, HOST_TTL), Section.AUTHORITY);
            probe.addRecord(txt(DClass.IN, OTHER_TTL, nic), Section.AUTHORITY);
            wire.multicast(nic, probe);
        }
    }

    private synchronized void probed(int thisRound) {
        if (state != State.PROBING || thisRound != round) {
            return;
        }
        state = State.ANNOUNCED;
        LOG.info("mDNS: advertising {} on port {} (host {})", instanceName, port, host);
        announce();
        timer.schedule(this::announceAgain, 1, TimeUnit.SECONDS);
    }

    private synchronized void announceAgain() {
        if (state == State.ANNOUNCED) {
            announce();
        }
    }

    /** Sends every record unsolicited; also when the interfaces or their addresses changed. */
    synchronized void announce() {
        if (state != State.ANNOUNCED) {
            return;
        }
        for (InterfaceSelection.Selected nic : wire.interfaces()) {
            wire.multicast(nic, response(nic, true, true, true, true, false));
        }
    }

    /** Says goodbye (every record with TTL 0) and answers nothing more. */
    synchronized void stop() {
        if (state == State.ANNOUNCED) {
            for (InterfaceSelection.Selected nic : wire.interfaces()) {
                wire.multicast(nic, response(nic, true, true, true, true, true));
            }
        }
        state = State.STOPPED;
    }

    /** A datagram from the link: a conflict with our name, or a question we answer. */
    synchronized void received(Message message, InetSocketAddress sender) {
        if (state == State.STOPPED) {
            return;
        }
        if (message.getHeader().getFlag(Flags.QR)) {
            if (claimsOurName(message)) {
                rename();
            }
        } else if (state == State.ANNOUNCED) {
            answer(message, sender);
        }
    }

    /** A response from someone else with a record for our instance name (ours come back as they went). */
    private boolean claimsOurName(Message message) {
        for (int section : new int[] {Section.ANSWER, Section.ADDITIONAL}) {
            for (Record record : message.getSection(section)) {
                if (!record.getName().equals(instance) || record.getTTL() == 0) {
                    continue;
                }
                if (state == State.PROBING) {
                    return true; // we send no responses while probing
                }
                if (record instanceof SRVRecord srv && (srv.getPort() != port || !srv.getTarget().equals(host))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void rename() {
        if (renames >= MAX_RENAMES) {
            LOG.warn("mDNS: {} is taken and so are {} more names; not advertising the gateway", baseName, renames);
            state = State.STOPPED;
            return;
        }
        String taken = instanceName;
        renames++;
        instanceName = baseName + " (" + (renames + 1) + ")";
        instance = DnsLabels.child(instanceName, SERVICE_TYPE);
        LOG.info("mDNS: the name {} is taken on the network; advertising as {}", taken, instanceName);
        state = State.PROBING;
        probe(0);
    }

    private void answer(Message query, InetSocketAddress sender) {
        boolean ptr = false;
        boolean services = false;
        boolean srv = false;
        boolean txt = false;
        boolean address = false;
        for (Record question : query.getSection(Section.QUESTION)) {
            Name name = question.getName();
            int type = question.getType();
            boolean any = type == Type.ANY;
            if (name.equals(SERVICE_TYPE) && (type == Type.PTR || any)) {
                ptr = true;
            } else if (name.equals(SERVICES) && (type == Type.PTR || any)) {
                services = true;
            } else if (name.equals(instance)) {
                srv |= type == Type.SRV || any;
                txt |= type == Type.TXT || any;
            } else if (name.equals(host) && (type == Type.A || any)) {
                address = true;
            }
        }
        ptr &= !knownAnswer(query, Type.PTR, OTHER_TTL);
        srv &= !knownAnswer(query, Type.SRV, HOST_TTL);
        txt &= !knownAnswer(query, Type.TXT, OTHER_TTL);
        if (!(ptr || services || srv || txt || address)) {
            return;
        }
        if (sender.getPort() != 5353) {
            answerLegacy(query, sender, ptr, services, srv, txt, address);
            return;
        }
        if (ptr) {
            long now = System.nanoTime();
            if (now - lastPtrAnswerNanos < TimeUnit.SECONDS.toNanos(1)) {
                ptr = false; // at most once a second (RFC 6762 §6): a flood of questions gets no flood of answers
            } else {
                lastPtrAnswerNanos = now;
            }
        }
        boolean answerPtr = ptr;
        boolean answerServices = services;
        boolean answerSrv = srv || ptr;
        boolean answerTxt = txt || ptr;
        boolean answerAddress = address || srv || ptr;
        if (!(answerPtr || answerServices || answerSrv || answerTxt)) {
            return;
        }
        Runnable send = () -> {
            synchronized (this) {
                if (state != State.ANNOUNCED) {
                    return;
                }
                for (InterfaceSelection.Selected nic : wire.interfaces()) {
                    Message response = response(nic, answerPtr, answerSrv, answerTxt, answerAddress, false);
                    if (answerServices) {
                        response.addRecord(new PTRRecord(SERVICES, DClass.IN, OTHER_TTL, SERVICE_TYPE), Section.ANSWER);
                    }
                    wire.multicast(nic, response);
                }
            }
        };
        if (answerPtr || answerServices) {
            timer.schedule(send, 20 + ThreadLocalRandom.current().nextInt(100), TimeUnit.MILLISECONDS);
        } else {
            send.run();
        }
    }

    /** A question from a port other than 5353 (RFC 6762 §6.7): answered to it alone, TTL 10 s, its id. */
    private void answerLegacy(Message query, InetSocketAddress sender, boolean ptr, boolean services, boolean srv,
                              boolean txt, boolean address) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        for (Record question : query.getSection(Section.QUESTION)) {
            response.addRecord(Record.newRecord(question.getName(), question.getType(), DClass.IN), Section.QUESTION);
        }
        if (ptr) {
            response.addRecord(new PTRRecord(SERVICE_TYPE, DClass.IN, 10, instance), Section.ANSWER);
        }
        if (services) {
            response.addRecord(new PTRRecord(SERVICES, DClass.IN, 10, SERVICE_TYPE), Section.ANSWER);
        }
        if (srv || ptr) {
            response.addRecord(srv(DClass.IN, 10), ptr ? Section.ADDITIONAL : Section.ANSWER);
        }
        List<InterfaceSelection.Selected> nics = wire.interfaces();
        if ((txt || ptr) && !nics.isEmpty()) {
            response.addRecord(txt(DClass.IN, 10, nics.get(0)), ptr ? Section.ADDITIONAL : Section.ANSWER);
        }
        if (address || srv || ptr) {
            for (InterfaceSelection.Selected nic : nics) {
                for (InetAddress a : nic.addresses()) {
                    response.addRecord(new ARecord(host, DClass.IN, 10, a), address ? Section.ANSWER : Section.ADDITIONAL);
                }
            }
        }
        wire.unicast(sender, response);
    }

    /** Whether the query lists our record of {@code type} as known with at least half its lifetime left. */
    private boolean knownAnswer(Message query, int type, long ttl) {
        for (Record known : query.getSection(Section.ANSWER)) {
            if (known.getType() == type && known.getTTL() >= ttl / 2
                    && (type == Type.PTR ? known instanceof PTRRecord p && p.getTarget().equals(instance)
                    : known.getName().equals(instance))) {
                return true;
            }
        }
        return false;
    }

    private Message response(InterfaceSelection.Selected nic, boolean ptr, boolean srv, boolean txt, boolean address,
                             boolean goodbye) {
        Message response = new Message(0);
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (ptr) {
            response.addRecord(new PTRRecord(SERVICE_TYPE, DClass.IN, goodbye ? 0 : OTHER_TTL, instance), Section.ANSWER);
        }
        int unique = DClass.IN | CACHE_FLUSH;
        int section = ptr ? Section.ADDITIONAL : Section.ANSWER;
        if (srv) {
            response.addRecord(srv(unique, goodbye ? 0 : HOST_TTL), goodbye ? Section.ANSWER : section);
        }
        if (txt) {
            response.addRecord(txt(unique, goodbye ? 0 : OTHER_TTL, nic), goodbye ? Section.ANSWER : section);
        }
        if (address) {
            for (InetAddress a : nic.addresses()) {
                if (a instanceof Inet4Address) {
                    response.addRecord(new ARecord(host, unique, goodbye ? 0 : HOST_TTL, a),
                            goodbye || !(ptr || srv) ? Section.ANSWER : Section.ADDITIONAL);
                }
            }
        }
        return response;
    }

    private SRVRecord srv(int dclass, long ttl) {
        return new SRVRecord(instance, dclass, ttl, 0, 0, port, host);
    }

    /** TXT {@code path=/ tls=0 address=<the interface's first IPv4>}, as the gateway's devices advertise. */
    private TXTRecord txt(int dclass, long ttl, InterfaceSelection.Selected nic) {
        return new TXTRecord(instance, dclass, ttl,
                List.of("path=/", "tls=0", "address=" + nic.addresses().get(0).getHostAddress()));
    }
}
