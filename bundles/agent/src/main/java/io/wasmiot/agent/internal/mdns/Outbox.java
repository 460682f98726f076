package io.wasmiot.agent.internal.mdns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the responder is about to multicast, gathered for {@link #COALESCE_MILLIS} and then packed
 * into as few datagrams as hold it: thousands of devices probing and announcing at once take a
 * few large datagrams, not six small ones each (receivers lose bursts of small ones). Probes go
 * before responses, so a name's last probe precedes its first announcement. Many datagrams at once
 * (thousands of goodbyes, an answer listing thousands of services) leave at most
 * {@link #DATAGRAMS_PER_MILLI} a millisecond: sent back to back they overflow a listener's default
 * receive buffer (figures in docs/notes-code.md). Responder thread only.
 */
final class Outbox {
    static final long COALESCE_MILLIS = 2;
    static final int DATAGRAMS_PER_MILLI = 2;

    /** Runs a task on the responder's thread after a delay. */
    interface Timer {
        void schedule(Runnable task, long delayMillis);
    }

    private final Consumer<byte[]> multicast;
    private final Timer timer;
    private final int partsPerDatagram;
    private final List<DatagramPacker.Part> probes = new ArrayList<>();
    private final List<DatagramPacker.Part> responses = new ArrayList<>();
    private final List<byte[]> raw = new ArrayList<>();
    private final List<Runnable> afterSend = new ArrayList<>();
    private final java.util.ArrayDeque<byte[]> sending = new java.util.ArrayDeque<>();
    private final List<Runnable> afterSending = new ArrayList<>();
    private boolean flushScheduled;
    private boolean draining;
    private long datagramsSent;

    /** @param partsPerDatagram at most this many services' parts in one datagram; 0: as many as fit */
    Outbox(Consumer<byte[]> multicast, Timer timer, int partsPerDatagram) {
        this.multicast = multicast;
        this.timer = timer;
        this.partsPerDatagram = partsPerDatagram == 0 ? Integer.MAX_VALUE : partsPerDatagram;
    }

    void probe(DatagramPacker.Part part) {
        probes.add(part);
        scheduleFlush();
    }

    void respond(DatagramPacker.Part part) {
        responses.add(part);
        scheduleFlush();
    }

    /** A datagram sent as is (a hand-built corrupt one). */
    void raw(byte[] datagram) {
        raw.add(datagram);
        scheduleFlush();
    }

    /** Runs {@code task} once what is queued now has been sent (and whatever was queued after it). */
    void afterSend(Runnable task) {
        afterSend.add(task);
        scheduleFlush();
    }

    long datagramsSent() {
        return datagramsSent;
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            timer.schedule(this::flush, COALESCE_MILLIS);
        }
    }

    /** Packs everything queued now and sends it, paced. */
    void flush() {
        flushScheduled = false;
        if (!probes.isEmpty()) {
            sending.addAll(DatagramPacker.probes(probes, partsPerDatagram));
            probes.clear();
        }
        if (!responses.isEmpty()) {
            sending.addAll(DatagramPacker.responses(responses, partsPerDatagram));
            responses.clear();
        }
        sending.addAll(raw);
        raw.clear();
        afterSending.addAll(afterSend);
        afterSend.clear();
        if (!draining) {
            drain();
        }
    }

    private void drain() {
        for (int i = 0; i < DATAGRAMS_PER_MILLI && !sending.isEmpty(); i++) {
            multicast.accept(sending.poll());
            datagramsSent++;
        }
        draining = !sending.isEmpty();
        if (draining) {
            timer.schedule(this::drain, 1);
            return;
        }
        List<Runnable> done = new ArrayList<>(afterSending);
        afterSending.clear();
        done.forEach(Runnable::run);
    }
}
