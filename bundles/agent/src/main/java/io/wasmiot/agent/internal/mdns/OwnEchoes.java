package io.wasmiot.agent.internal.mdns;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recognizes our own datagrams when multicast loop brings them back (on one host every responder
 * sends from the same address and port 5353, so the sender cannot tell). Without this, our own
 * probe would read as a browse question to answer, and a restarted device's earlier announcement,
 * still on its way, as a conflict with its new probe. A fingerprint (length and a 64-bit FNV-1a
 * hash) of each datagram sent is kept for {@link #KEEP_NANOS}, at most {@link #MAX_KEPT} of them.
 */
final class OwnEchoes {
    static final long KEEP_NANOS = 3_000_000_000L;
    static final int MAX_KEPT = 65_536;

    private final Map<Long, Long> sentAt = new LinkedHashMap<>();

    synchronized void sent(byte[] datagram, long now) {
        long key = fingerprint(ByteBuffer.wrap(datagram));
        sentAt.remove(key); // re-inserted at the young end
        sentAt.put(key, now);
        trim(now);
    }

    /** Whether {@code datagram} (position to limit) is one we sent lately. */
    synchronized boolean isOwn(ByteBuffer datagram, long now) {
        trim(now);
        return sentAt.containsKey(fingerprint(datagram));
    }

    private void trim(long now) {
        Iterator<Map.Entry<Long, Long>> oldest = sentAt.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Long, Long> entry = oldest.next();
            if (sentAt.size() <= MAX_KEPT && now - entry.getValue() < KEEP_NANOS) {
                return;
            }
            oldest.remove();
        }
    }

    static long fingerprint(ByteBuffer datagram) {
        long hash = 0xcbf29ce484222325L;
        for (int i = datagram.position(); i < datagram.limit(); i++) {
            hash ^= datagram.get(i) & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash * 31 + (datagram.limit() - datagram.position());
    }
}
