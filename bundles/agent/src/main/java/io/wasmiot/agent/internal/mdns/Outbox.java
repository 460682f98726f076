package io.wasmiot.agent.internal.mdns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the responder is about to multicast, gathered for {@link #COALESCE_MILLIS} and then packed
 * into as few datagrams as hold it: thousands of devices probing and announcing at once take a
 * few large datagrams, not six small ones each (receivers lose bursts of small ones). Probes go
 * before responses, so a name's last probe precedes its first announcement. Responder thread only.
 */
final class Outbox {
    static final long COALESCE_MILLIS = 2;

    /** Runs a task on the responder's thread after a delay. */
    interface Timer {
        void schedule(Runnable task, long delayMillis);
    }

    private final Consumer<byte[]> multicast;
    private final Timer timer;
    private final List<DatagramPacker.Part> probes = new ArrayList<>();
    private final List<DatagramPacker.Part> responses = new ArrayList<>();
    private final List<byte[]> raw = new ArrayList<>();
    private final List<Runnable> afterSend = new ArrayList<>();
    private boolean flushScheduled;
    private long datagramsSent;

    Outbox(Consumer<byte[]> multicast, Timer timer) {
        this.multicast = multicast;
        this.timer = timer;
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

    /** Runs {@code task} once what is queued now has been sent. */
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

    /** Sends everything queued now. */
    void flush() {
        flushScheduled = false;
        List<byte[]> datagrams = new ArrayList<>();
        if (!probes.isEmpty()) {
            datagrams.addAll(DatagramPacker.probes(probes));
            probes.clear();
        }
        if (!responses.isEmpty()) {
            datagrams.addAll(DatagramPacker.responses(responses));
            responses.clear();
        }
        datagrams.addAll(raw);
        raw.clear();
        for (byte[] datagram : datagrams) {
            multicast.accept(datagram);
            datagramsSent++;
        }
        List<Runnable> done = new ArrayList<>(afterSend);
        afterSend.clear();
        done.forEach(Runnable::run);
    }
}
