package io.wasmiot.gateway.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * The core's only way to write the store. Health results are written behind, in batches: a sweep of
 * a thousand devices is a handful of transactions instead of a thousand. Whole devices (introductions,
 * moves) are written as soon as the writer is free, together with whatever others arrived while it
 * was busy (a group commit): a burst of a hundred new devices is a few transactions, not a hundred.
 * So is the check that ends an introduction: a new device is listed with its health sooner.
 * Deletions are written as soon as the writer is free, after the health results waiting then (whose
 * events precede the removal's) and before the whole devices (a device introduced again under a
 * forgotten one's name is written after the old row is gone). All writes run under this writer's
 * monitor and a batch takes each device as it is in memory when the batch is written, so an older
 * state can never overwrite a newer one. Events that describe a batched change are posted after the batch is stored, so a listener that
 * reads the list after an event sees the change.
 *
 * <p>Lock order: an entry's monitor may be held when calling in here; this writer never waits for an
 * entry's monitor (it reads {@link DeviceEntry#device} and {@link DeviceEntry#epoch}, which are
 * volatile), and hands what follows a whole save to the executor rather than running it itself.
 */
final class StoreWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    /** How long a health result may wait in memory before it is written. */
    static final long DELAY_MILLIS = 25;

    private record Pending(DeviceEntry entry, Runnable afterWrite) {
    }

    /** A row to delete; {@code deleted} completes once it is gone (true) or was not there (false). */
    private record Deletion(String id, CompletableFuture<Boolean> deleted) {
    }

    /** A whole device to store for an entry, valid while the entry's epoch is still {@code epoch}. */
    private record Whole(DeviceEntry entry, int epoch, Device device, WholeSaved then) {
    }

    /** What follows a whole save: exactly one of {@code stored} and {@code failure} is set. */
    @FunctionalInterface
    interface WholeSaved {
        void accept(Device stored, StoreException failure);
    }

    private final DeviceStore store;
    /** Runs the writes: never the core's own threads, which must not wait on the database. */
    private final ScheduledExecutorService executor;
    /** Runs what follows a whole save (the core's work). */
    private final java.util.concurrent.Executor callbacks;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Whole> wholes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Deletion> deletions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean promptFlushScheduled = new AtomicBoolean();
    private long batches;
    private long batchedDevices;
    private long wholeBatches;
    private long wholeDevices;

    StoreWriter(DeviceStore store, ScheduledExecutorService executor) {
        this(store, executor, executor);
    }

    /** @param writes the thread the database writes run on; @param callbacks where what follows them runs */
    StoreWriter(DeviceStore store, ScheduledExecutorService writes, java.util.concurrent.Executor callbacks) {
        this.store = store;
        this.executor = writes;
        this.callbacks = callbacks;
    }

    /** Writes {@code entry}'s device soon; {@code afterWrite} (may be null) runs once it is stored. */
    void later(DeviceEntry entry, Runnable afterWrite) {
        pending.add(new Pending(entry, afterWrite));
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(this::scheduledFlush, DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                flushScheduled.set(false); // stopping: the final flush writes it
            }
        }
    }

    /**
     * Saves a whole device ({@link DeviceStore#saveEach}) as soon as the writer is free, in one
     * transaction with the others waiting then. Skipped when the entry's epoch has moved on by then
     * (forgotten, or introduced again: the newer work saves its own). {@code then} runs on the
     * executor once the batch is written or failed; not at all when skipped or when the executor has
     * stopped (the device is in the store; the next core reads it there).
     */
    void saveSoon(DeviceEntry entry, int epoch, Device device, WholeSaved then) {
        wholes.add(new Whole(entry, epoch, device, then));
        flushWhenFree();
    }

    /**
     * Like {@link #later}, but written as soon as the writer is free, with whatever else waits then:
     * the check that ends an introduction, so a new device is listed with its health without waiting
     * for the next batch.
     */
    void soon(DeviceEntry entry, Runnable afterWrite) {
        pending.add(new Pending(entry, afterWrite));
        flushWhenFree();
    }

    /**
     * Deletes a device's row as soon as the writer is free: nobody waits on the database while holding
     * a device's monitor. The future completes on the writer's thread (exceptionally with the
     * {@link StoreException}); a caller that answers someone waits for it with no monitor held.
     */
    CompletableFuture<Boolean> deleteSoon(String id) {
        Deletion deletion = new Deletion(id, new CompletableFuture<>());
        deletions.add(deletion);
        flushWhenFree();
        return deletion.deleted();
    }

    private void flushWhenFree() {
        if (promptFlushScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::promptFlush);
            } catch (RejectedExecutionException e) {
                promptFlushScheduled.set(false); // stopping: the final flush writes it
            }
        }
    }

    private void scheduledFlush() {
        flushScheduled.set(false);
        flush();
    }

    private void promptFlush() {
        // Cleared before writing: what arrives during this write schedules the next batch.
        promptFlushScheduled.set(false);
        flush();
    }

    /** Writes everything pending now: health results, deletions, then whole devices. */
    synchronized void flush() {
        writeChecked();
        writeDeletions();
        writeWholes();
    }

    private void writeDeletions() {
        for (Deletion next; (next = deletions.poll()) != null; ) {
            try {
                next.deleted().complete(store.delete(next.id()));
            } catch (StoreException e) {
                next.deleted().completeExceptionally(e);
            }
        }
    }

    private void writeWholes() {
        if (wholes.isEmpty()) {
            return;
        }
        List<Whole> batch = new ArrayList<>();
        for (Whole next; (next = wholes.poll()) != null; ) {
            if (next.entry().epoch == next.epoch()) {
                batch.add(next);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Device> stored = null;
        StoreException failure = null;
        long started = System.nanoTime();
        try {
            stored = store.saveEach(batch.stream().map(Whole::device).toList());
            wholeBatches++;
            wholeDevices += batch.size();
            LOG.debug("Stored {} whole device(s) in one transaction in {} ms", batch.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (StoreException e) {
            failure = e;
        }
        for (int i = 0; i < batch.size(); i++) {
            Whole whole = batch.get(i);
            Device device = stored == null ? null : stored.get(i);
            StoreException error = failure;
            try {
                callbacks.execute(() -> whole.then().accept(device, error));
            } catch (RejectedExecutionException e) {
                return; // the core stopped: the devices are stored, nothing in memory waits for them
            }
        }
    }

    private void writeChecked() {
        if (pending.isEmpty()) {
            return;
        }
        Map<DeviceEntry, Device> latest = new LinkedHashMap<>();
        List<Runnable> afterWrites = new ArrayList<>();
        for (Pending next; (next = pending.poll()) != null; ) {
            Device device = next.entry().device;
            if (next.entry().phase != Phase.FORGOTTEN && device != null && device.id() != null) {
                latest.put(next.entry(), device);
            }
            if (next.afterWrite() != null) {
                afterWrites.add(next.afterWrite());
            }
        }
        if (!latest.isEmpty()) {
            try {
                long started = System.nanoTime();
                Set<String> saved = store.saveAll(latest.values());
                LOG.debug("Stored the health of {} device(s) in one transaction in {} ms", latest.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                batches++;
                batchedDevices += latest.size();
                if (saved.size() < latest.size()) {
                    LOG.debug("{} of {} device(s) were no longer stored (removed meanwhile): not written",
                            latest.size() - saved.size(), latest.size());
                }
            } catch (StoreException e) {
                // The devices keep their state in memory; their next check writes it again.
                LOG.warn("Cannot store the health of {} device(s): {}", latest.size(), e.getMessage());
            }
        }
        afterWrites.forEach(Runnable::run);
    }

    /** Saves at once (pending writes first, so they cannot land after it). @return the device as stored */
    synchronized Device saveNow(Device device) {
        flush();
        return store.save(device);
    }

    /** Deletes every device at once, after the pending writes. */
    synchronized int deleteAllNow() {
        flush();
        return store.deleteAll();
    }

    synchronized long batches() {
        return batches;
    }

    synchronized long batchedDevices() {
        return batchedDevices;
    }

    synchronized long wholeBatches() {
        return wholeBatches;
    }

    synchronized long wholeDevices() {
        return wholeDevices;
    }
}
