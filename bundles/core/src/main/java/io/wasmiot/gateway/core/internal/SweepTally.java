package io.wasmiot.gateway.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Counts the outcomes of one sweep's checks. Failed devices wait here until every check of the
 * sweep is in, because the brake (docs/contract.md §4) depends on how many failed. Only failures that look
 * like the gateway's own network (the device could not be reached at all) count toward the brake:
 * a refusal or an HTTP answer shows the network works and the device is at fault.
 */
final class SweepTally {
    private final int expected;
    private final BiConsumer<SweepTally, Boolean> onComplete;
    private final long startedNanos = System.nanoTime();
    private int completed;
    private int checked;
    private int failedCount;
    private int unreachableCount;
    private final List<DeviceEntry> failedEntries = new ArrayList<>();

    /** @param onComplete called once, with the tally and whether the brake holds */
    SweepTally(int expected, BiConsumer<SweepTally, Boolean> onComplete) {
        this.expected = expected;
        this.onComplete = onComplete;
        if (expected == 0) {
            onComplete.accept(this, false);
        }
    }

    void succeeded() {
        record(false, false, null);
    }

    /** @param unreachable the device could not be reached at all: it counts toward the brake */
    void failed(DeviceEntry entry, boolean unreachable) {
        record(true, unreachable, entry);
    }

    /** A check that did not count (the device left, the prober stopped). */
    void skipped() {
        boolean done;
        synchronized (this) {
            completed++;
            done = completed == expected;
        }
        if (done) {
            finish();
        }
    }

    private void record(boolean failed, boolean unreachable, DeviceEntry entry) {
        boolean done;
        synchronized (this) {
            completed++;
            checked++;
            if (failed) {
                failedCount++;
                failedEntries.add(entry);
            }
            if (unreachable) {
                unreachableCount++;
            }
            done = completed == expected;
        }
        if (done) {
            finish();
        }
    }

    private void finish() {
        onComplete.accept(this, HealthRules.brake(checked(), unreachableCount()));
    }

    synchronized int checked() {
        return checked;
    }

    synchronized int failedCount() {
        return failedCount;
    }

    synchronized int unreachableCount() {
        return unreachableCount;
    }

    synchronized List<DeviceEntry> failedEntries() {
        return List.copyOf(failedEntries);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
