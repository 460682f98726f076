package io.wasmiot.agent.internal.mdns;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The answers a querier says it already has (RFC 6762 §7.1). As python-zeroconf
 * ({@code DNSRRSet.suppresses}): one of ours is left out when the querier holds the same record
 * (name, type, data; the cache-flush bit aside) with more than half our lifetime left.
 */
final class KnownAnswers {
    private record Key(Name name, int type, ByteBuffer rdata) {
        static Key of(Record record) {
            return new Key(record.getName(), record.getType(), ByteBuffer.wrap(record.rdataToWireCanonical()));
        }
    }

    private final Map<Key, Long> ttls = new HashMap<>();

    /** The answer sections of {@code queries}; probes (with proposed records) carry none. */
    static KnownAnswers of(List<Message> queries) {
        KnownAnswers known = new KnownAnswers();
        for (Message query : queries) {
            if (!query.getSection(Section.AUTHORITY).isEmpty()) {
                continue;
            }
            for (Record record : query.getSection(Section.ANSWER)) {
                known.ttls.merge(Key.of(record), record.getTTL(), Math::max);
            }
        }
        return known;
    }

    boolean isEmpty() {
        return ttls.isEmpty();
    }

    boolean suppresses(Record ours) {
        Long theirs = ttls.isEmpty() ? null : ttls.get(Key.of(ours));
        return theirs != null && theirs > ours.getTTL() / 2.0;
    }
}
