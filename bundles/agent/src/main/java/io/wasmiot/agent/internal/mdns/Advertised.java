package io.wasmiot.agent.internal.mdns;

import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One service instance the responder advertises, and when each of its records last went out by
 * multicast (RFC 6762 §6: at most once a second). Touched only on the responder's thread.
 */
final class Advertised {
    enum State {
        /** Probing its name: answers nothing yet (python-zeroconf registers a service after its probes). */
        PROBING,
        /** Announced: answers questions. */
        ANNOUNCED,
        /** Withdrawn or dropped: its timers and queued answers are void. */
        GONE
    }

    /** What a question can be answered with; the additionals follow RFC 6763 §12 as python-zeroconf sends them. */
    enum Kind { PTR, SRV, TXT, A, NSEC }

    final Registration registration;
    final String baseName;
    ServiceRecords records;
    State state = State.PROBING;
    int renames;
    /** Bumped on every (re)start of probing: timers of an older round do nothing. */
    int round;
    private final long[] lastMulticast = new long[Kind.values().length];
    private final boolean[] everMulticast = new boolean[Kind.values().length];

    Advertised(Registration registration, ServiceRecords records) {
        this.registration = registration;
        this.baseName = records.label();
        this.records = records;
    }

    boolean current(int expectedRound) {
        return state != State.GONE && round == expectedRound;
    }

    /** Whether {@code kind} went out by multicast less than {@code nanos} ago. */
    boolean multicastWithin(Kind kind, long nanos, long now) {
        return everMulticast[kind.ordinal()] && now - lastMulticast[kind.ordinal()] < nanos;
    }

    /** The announcement (every record in the answer section, as python-zeroconf sends it); notes the time. */
    DatagramPacker.Part announcement(RecordLifetimes ttl, long now) {
        noteMulticast(now, Kind.PTR, Kind.SRV, Kind.TXT, Kind.A);
        return DatagramPacker.Part.answers(records.announcement(ttl), List.of());
    }

    /** {@code kind} as a multicast answer with its additionals; notes the time of each record. */
    DatagramPacker.Part answer(Kind kind, RecordLifetimes ttl, long now) {
        DatagramPacker.Part part = answerPart(kind, ttl);
        for (Record r : part.answers()) {
            noteMulticast(now, kindOf(r));
        }
        for (Record r : part.additionals()) {
            noteMulticast(now, kindOf(r));
        }
        return part;
    }

    /** {@code kind} as an answer with its additionals (RFC 6763 §12, as python-zeroconf adds them). */
    DatagramPacker.Part answerPart(Kind kind, RecordLifetimes ttl) {
        List<Record> additionals = new ArrayList<>();
        switch (kind) {
            case PTR -> {
                additionals.add(records.srv(ttl.hostTtl()));
                additionals.add(records.txt(ttl.otherTtl()));
                additionals.add(records.a(ttl.hostTtl()));
                additionals.add(records.nsec(ttl.otherTtl()));
            }
            case SRV, A -> {
                if (kind == Kind.SRV) {
                    additionals.add(records.a(ttl.hostTtl()));
                }
                additionals.add(records.nsec(ttl.otherTtl()));
            }
            default -> {
                // TXT and NSEC stand alone
            }
        }
        return DatagramPacker.Part.answers(List.of(record(kind, ttl)), additionals);
    }

    private static Kind kindOf(Record record) {
        return switch (record.getType()) {
            case Type.PTR -> Kind.PTR;
            case Type.SRV -> Kind.SRV;
            case Type.TXT -> Kind.TXT;
            case Type.A -> Kind.A;
            default -> Kind.NSEC;
        };
    }

    /** {@code kind}'s record as the answer to a question, for known-answer suppression. */
    Record record(Kind kind, RecordLifetimes ttl) {
        return switch (kind) {
            case PTR -> records.ptr(ttl.otherTtl());
            case SRV -> records.srv(ttl.hostTtl());
            case TXT -> records.txt(ttl.otherTtl());
            case A -> records.a(ttl.hostTtl());
            case NSEC -> records.nsec(ttl.otherTtl());
        };
    }

    private void noteMulticast(long now, Kind... kinds) {
        for (Kind kind : kinds) {
            lastMulticast[kind.ordinal()] = now;
            everMulticast[kind.ordinal()] = true;
        }
    }
}
