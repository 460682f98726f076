package io.wasmiot.agent.internal.mdns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Packs records into as few datagrams as hold them (or at most a given number of services a
 * datagram: one, as a fleet of separate hosts sends them): each {@link Part} (one service's answer with
 * its additionals, or its probe's proposed records) stays whole in one datagram, additionals
 * already in a datagram are not repeated in it, and a datagram holds at most {@link #MAX_BYTES}
 * (python-zeroconf's {@code _MAX_MSG_ABSOLUTE}, under RFC 6762 §17's 9,000).
 */
final class DatagramPacker {
    static final int MAX_BYTES = 8966;

    /** Records that travel together. */
    record Part(List<Record> answers, List<Record> authorities, List<Record> additionals) {
        static Part answers(List<Record> answers, List<Record> additionals) {
            return new Part(answers, List.of(), additionals);
        }

        static Part proposed(List<Record> authorities) {
            return new Part(List.of(), authorities, List.of());
        }
    }

    private DatagramPacker() {
    }

    /** Responses (QR, AA), id 0, at most {@code maxParts} parts in a datagram. */
    static List<byte[]> responses(List<Part> parts, int maxParts) {
        return pack(false, parts, maxParts);
    }

    /**
     * Probes as python-zeroconf sends them ({@code generate_service_query}): flags AA, one question
     * {@code _webthing._tcp.local. PTR} with the unicast-response bit (QU), the proposed PTRs in the
     * authority section. Unlike python-zeroconf's (id 0), each carries a random id: receivers ignore
     * it (RFC 6762 §18.1), and it tells our own probe coming back from another host's probe for
     * the same name, whose bytes would otherwise be the same ({@link OwnEchoes}). At most
     * {@code maxParts} parts in a datagram.
     */
    static List<byte[]> probes(List<Part> parts, int maxParts) {
        return pack(true, parts, maxParts);
    }

    /** The bytes {@code part} takes in a datagram of its own. */
    static int sizeAlone(Part part) {
        return pack(false, List.of(part), 1).get(0).length;
    }

    private static List<byte[]> pack(boolean probe, List<Part> parts, int maxParts) {
        List<byte[]> datagrams = new ArrayList<>();
        Message message = null;
        Set<Record> inMessage = new HashSet<>();
        int parted = 0;
        int measured = 0;
        int pending = 0;
        for (Part part : parts) {
            if (message != null && parted >= maxParts) {
                datagrams.add(message.toWire());
                message = null;
            }
            if (message == null) {
                message = newMessage(probe);
                inMessage.clear();
                parted = 0;
                measured = message.toWire().length;
                pending = 0;
            }
            List<Added> added = add(message, part, inMessage);
            parted++;
            for (Added a : added) {
                pending += a.record().toWire(a.section()).length; // uncompressed: an upper bound
            }
            if (measured + pending <= MAX_BYTES) {
                continue;
            }
            byte[] wire = message.toWire();
            if (wire.length <= MAX_BYTES || parted == 1) {
                measured = wire.length; // a part too large for any datagram goes alone
                pending = 0;
                if (wire.length > MAX_BYTES) {
                    datagrams.add(wire);
                    message = null;
                }
                continue;
            }
            for (Added a : added) {
                message.removeRecord(a.record(), a.section());
            }
            datagrams.add(message.toWire());
            message = newMessage(probe);
            inMessage.clear();
            add(message, part, inMessage);
            parted = 1;
            measured = message.toWire().length;
            pending = 0;
            if (measured > MAX_BYTES) {
                datagrams.add(message.toWire());
                message = null;
            }
        }
        if (message != null && parted > 0) {
            datagrams.add(message.toWire());
        }
        return datagrams;
    }

    private record Added(Record record, int section) {
    }

    private static List<Added> add(Message message, Part part, Set<Record> inMessage) {
        List<Added> added = new ArrayList<>();
        for (Record r : part.answers()) {
            if (inMessage.add(r)) {
                message.addRecord(r, Section.ANSWER);
                added.add(new Added(r, Section.ANSWER));
            }
        }
        for (Record r : part.authorities()) {
            message.addRecord(r, Section.AUTHORITY);
            added.add(new Added(r, Section.AUTHORITY));
        }
        for (Record r : part.additionals()) {
            if (inMessage.add(r)) {
                message.addRecord(r, Section.ADDITIONAL);
                added.add(new Added(r, Section.ADDITIONAL));
            }
        }
        return added;
    }

    private static Message newMessage(boolean probe) {
        Message message = new Message(probe ? 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(0xffff) : 0);
        message.getHeader().setFlag(Flags.AA);
        if (probe) {
            message.addRecord(Record.newRecord(MdnsNames.SERVICE_TYPE, Type.PTR, DClass.IN | ServiceRecords.CACHE_FLUSH),
                    Section.QUESTION); // the top bit of a question's class asks for a unicast answer (QU)
        } else {
            message.getHeader().setFlag(Flags.QR);
        }
        return message;
    }
}
