package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;

/**
 * One client of the event stream: the events it has not taken yet, bounded in bytes, and a writer
 * that never blocks (it writes while the connection {@linkplain ServletOutputStream#isReady() is
 * ready} and waits for the container's next {@code onWritePossible} otherwise). A client that stops
 * reading therefore costs at most its bound in memory and no thread; one whose events wait too long
 * is {@linkplain #stalled stalled}.
 */
final class EventStreamClient {
    enum Offer {
        /** queued for writing */
        QUEUED,
        /** a skippable event not queued: the client is already far behind */
        SKIPPED,
        /** not queued: the backlog is full; the client is to be disconnected */
        FULL
    }

    private final AsyncContext context;
    private final ServletOutputStream out;
    private final int maxBacklogBytes;
    private final int skipAboveBytes;
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private int backlogBytes;
    /** Whether a drain is queued on the writer thread: at most one at a time per client. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Bytes written since the last flush (the writer thread only). */
    private boolean unflushed;
    /** When the connection last took bytes, or the backlog last went from empty to not. */
    private volatile long progressNanos;

    /**
     * @param maxBacklogBytes the most the unsent events may hold; beyond, {@link Offer#FULL}
     * @param skipAboveBytes  a skippable event is not queued while the backlog holds more than this
     */
    EventStreamClient(AsyncContext context, ServletOutputStream out, int maxBacklogBytes, int skipAboveBytes,
                      long nowNanos) {
        this.progressNanos = nowNanos;
        this.context = context;
        this.out = out;
        this.maxBacklogBytes = maxBacklogBytes;
        this.skipAboveBytes = skipAboveBytes;
    }

    synchronized Offer offer(byte[] message, boolean skippable, long nowNanos) {
        if (skippable && backlogBytes + message.length > skipAboveBytes) {
            return Offer.SKIPPED;
        }
        if (backlogBytes + message.length > maxBacklogBytes) {
            return Offer.FULL;
        }
        if (backlog.isEmpty()) {
            progressNanos = nowNanos;
        }
        backlog.addLast(message);
        backlogBytes += message.length;
        return Offer.QUEUED;
    }

    synchronized int backlogBytes() {
        return backlogBytes;
    }

    /** Whether events have waited longer than {@code limitNanos} for a connection that takes nothing. */
    synchronized boolean stalled(long nowNanos, long limitNanos) {
        return !backlog.isEmpty() && nowNanos - progressNanos > limitNanos;
    }

    private synchronized byte[] poll() {
        byte[] message = backlog.pollFirst();
        if (message != null) {
            backlogBytes -= message.length;
        }
        return message;
    }

    /** Marks a drain as queued; {@code false} when one already is (the caller need not queue another). */
    boolean markDrainQueued() {
        return drainQueued.compareAndSet(false, true);
    }

    /**
     * Writes queued events while the connection takes them without blocking, then flushes. Runs on
     * one thread at a time (the stream's writer thread).
     */
    void drain(long nowNanos) throws IOException {
        drainQueued.set(false);
        while (out.isReady()) {
            byte[] message = poll();
            if (message == null) {
                if (!unflushed) {
                    return;
                }
                unflushed = false;
                out.flush();
                continue;
            }
            out.write(message);
            unflushed = true;
            progressNanos = nowNanos;
        }
    }

    void close() {
        try {
            context.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
    }
}
