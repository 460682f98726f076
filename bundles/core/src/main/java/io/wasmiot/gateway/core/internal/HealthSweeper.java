package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.wasmiot.gateway.api.model.DeviceStatus;

/**
 * The health sweep, every health interval (docs/contract.md §4): a lease round, then one check of
 * every listed device this gateway owns. The next sweep is due one interval after the last one started.
 */
final class HealthSweeper {
    private static final Comparator<DeviceEntry> SWEEP_ORDER = Comparator.comparing(entry -> entry.device.id());

    private final DeviceRegistry registry;
    private final LeaseReconciler leases;
    private final HealthChecker checker;
    private final CoreMetrics metrics;
    private final CoreThreads threads;
    private final Supplier<CoreSettings> settings;
    /** Guards the sweep schedule: the sweep thread and a configuration change both move it. */
    private final Object sweepSchedule = new Object();
    private ScheduledFuture<?> nextSweep;
    private long lastSweepStartNanos = System.nanoTime();

    HealthSweeper(DeviceRegistry registry, LeaseReconciler leases, HealthChecker checker, CoreMetrics metrics,
                  CoreThreads threads, Supplier<CoreSettings> settings) {
        this.registry = registry;
        this.leases = leases;
        this.checker = checker;
        this.metrics = metrics;
        this.threads = threads;
        this.settings = settings;
    }

    /** Starts a sweep: its lease round on the store's thread, which waits on the database; the checks here. */
    void sweep() {
        if (threads.stopped()) {
            return;
        }
        long startedNanos = System.nanoTime();
        try {
            threads.writes().execute(() -> {
                LeaseReconciler.Prepared round = leases.prepare();
                threads.execute(() -> checkAll(round, startedNanos));
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void checkAll(LeaseReconciler.Prepared round, long startedNanos) {
        if (threads.stopped()) {
            return;
        }
        Instant now = Instant.now();
        List<DeviceEntry> due = new ArrayList<>();
        boolean leased = leases.apply(round, startedNanos);
        for (DeviceEntry entry : leased ? registry.entries() : List.<DeviceEntry>of()) {
            synchronized (entry) {
                if (entry.phase != Phase.LISTED || entry.checkInFlight || !entry.owned) {
                    continue;
                }
                if (entry.device.blacklisted()) {
                    if (entry.device.status() == DeviceStatus.ACTIVE) {
                        registry.update(entry, settings.get().rules().blacklisted(entry.device, true, now));
                    }
                    continue;
                }
                entry.checkInFlight = true;
                due.add(entry);
            }
        }
        // The same order every sweep (the prober starts checks first come, first served), so each
        // device's check comes at the same point of every sweep: one interval apart.
        due.sort(SWEEP_ORDER);
        metrics.sweepStarted(now.toEpochMilli());
        SweepTally tally = new SweepTally(due.size(), (done, brake) -> {
            metrics.sweepChecked(done.checked(), done.failedCount());
            checker.sweepDone(done, brake);
        });
        for (DeviceEntry entry : due) {
            boolean started;
            synchronized (entry) {
                started = checker.check(entry, tally, false);
            }
            if (!started) {
                tally.skipped(); // outside the monitor: completing the tally locks other entries
            }
        }
        synchronized (sweepSchedule) {
            lastSweepStartNanos = startedNanos;
            scheduleNextSweep();
        }
    }

    /** The next sweep one interval after the last one started: a changed interval counts from there. */
    void reschedule() {
        synchronized (sweepSchedule) {
            if (nextSweep != null && nextSweep.cancel(false)) {
                scheduleNextSweep();
            }
        }
    }

    private void scheduleNextSweep() {
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSweepStartNanos);
        nextSweep = threads.schedule(this::sweep,
                Math.max(0, settings.get().config().healthInterval() * 1000L - sinceLast));
    }
}
