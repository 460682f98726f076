package io.wasmiot.gateway.mdns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

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
 * mDNS messages as a python-zeroconf supervisor sends them: an announcement carries the PTR in the
 * answers and SRV, TXT and A (unique records, cache-flush bit set) beside it; SRV and A live
 * {@link #HOST_TTL} s, PTR and TXT {@link #OTHER_TTL} s; a probe asks for the name with the
 * proposed records in its authority section; a goodbye repeats every record with TTL 0.
 */
final class Wire {
    static final long HOST_TTL = 120;
    static final long OTHER_TTL = 4500;
    static final int FLUSH = DClass.IN | 0x8000;

    private Wire() {
    }

    static Name instance(String name) {
        return ServiceCache.child(name);
    }

    static Name host(String name) {
        return Name.fromConstantString(name + ".local.");
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static Message announcement(String name, int port, String address) {
        return announcement(name, port, address, HOST_TTL, OTHER_TTL, List.of("path=/", "tls=0", "address=" + address));
    }

    static Message announcement(String name, int port, String address, long hostTtl, long otherTtl, List<String> txt) {
        Message message = response();
        message.addRecord(new PTRRecord(ServiceCache.SERVICE_TYPE, DClass.IN, otherTtl, instance(name)), Section.ANSWER);
        message.addRecord(new SRVRecord(instance(name), FLUSH, hostTtl, 0, 0, port, host(name)), Section.ADDITIONAL);
        message.addRecord(new TXTRecord(instance(name), FLUSH, otherTtl, txt), Section.ADDITIONAL);
        message.addRecord(new ARecord(host(name), FLUSH, hostTtl, ip(address)), Section.ADDITIONAL);
        return message;
    }

    static Message goodbye(String name, int port, String address) {
        return announcement(name, port, address, 0, 0, List.of("path=/"));
    }

    /**
     * A probe for {@code name} as python-zeroconf 0.47 sends it ({@code async_check_service}): a
     * question for the type's PTR records, the proposed PTR to the instance in the authority section.
     */
    static Message pythonProbe(String name) {
        Message message = new Message(0);
        message.addRecord(Record.newRecord(ServiceCache.SERVICE_TYPE, Type.PTR, DClass.IN), Section.QUESTION);
        message.addRecord(new PTRRecord(ServiceCache.SERVICE_TYPE, DClass.IN, OTHER_TTL, instance(name)), Section.AUTHORITY);
        return message;
    }

    /** A probe for {@code name} as RFC 6762 §8.1 (and jmdns) sends it: the name asked, its SRV proposed. */
    static Message probe(String name, int port) {
        Message message = new Message(0);
        message.addRecord(Record.newRecord(instance(name), Type.ANY, DClass.IN), Section.QUESTION);
        message.addRecord(new SRVRecord(instance(name), DClass.IN, HOST_TTL, 0, 0, port, host(name)), Section.AUTHORITY);
        return message;
    }

    static Message response(Record... records) {
        Message message = new Message(0);
        message.getHeader().setFlag(Flags.QR);
        message.getHeader().setFlag(Flags.AA);
        for (Record record : records) {
            message.addRecord(record, Section.ANSWER);
        }
        return message;
    }

    /** As it comes off the wire: serialized and parsed again. */
    static Message wire(Message message) {
        try {
            return new Message(message.toWire());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
