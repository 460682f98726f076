package io.wasmiot.gateway.mdns.internal;

import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The browse query for {@code _webthing._tcp.local.}, with its known answers (RFC 6762 §7.1): the
 * PTR records the source already holds and has reported, so that only responders the source does not
 * know yet answer. That makes asking again cheap at any fleet size: a lossy link's missed devices
 * are found by asking often, and a thousand known devices stay quiet instead of answering at once.
 * A list longer than one datagram goes out in several, each but the last with the TC bit (§7.2), the
 * question in the first.
 */
final class BrowseQuery {
    /** Ethernet's payload less the IP and UDP headers: no datagram of the query is fragmented. */
    static final int MAX_DATAGRAM_BYTES = 1472;
    private static final int HEADER_BYTES = 12;

    private BrowseQuery() {
    }

    /** The datagrams of one browse query carrying {@code knownAnswers} (PTR records of the type). */
    static List<Message> datagrams(List<Record> knownAnswers) {
        Record question = Record.newRecord(ServiceCache.SERVICE_TYPE, Type.PTR, DClass.IN);
        List<Message> datagrams = new ArrayList<>();
        Message current = new Message(0);
        current.addRecord(question, Section.QUESTION);
        int bytes = HEADER_BYTES + question.toWire(Section.QUESTION).length;
        for (Record known : knownAnswers) {
            // uncompressed length: an upper bound of what the record takes in the datagram
            int size = known.toWire(Section.ANSWER).length;
            if (bytes + size > MAX_DATAGRAM_BYTES && current.getSection(Section.ANSWER).size() > 0) {
                current.getHeader().setFlag(Flags.TC);
                datagrams.add(current);
                current = new Message(0);
                bytes = HEADER_BYTES;
            }
            current.addRecord(known, Section.ANSWER);
            bytes += size;
        }
        datagrams.add(current);
        return datagrams;
    }
}
