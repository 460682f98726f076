package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.wasmiot.gateway.api.model.DeviceStatus;

/**
 * The health sweep, every health interval (docs/contract.md §4): a lease round, then one check of
 * every listed device this gateway owns. The next sweep is due one interval after the last one started.
 * Without a {@link LeaseReconciler} bound nobody says what this gateway owns, and a sweep checks
 * nothing (as when the store cannot say); one bound then brings the next sweep forward. Swapped on its
 * own, checks in flight finish on the book's threads and the new one sweeps at once.
 */
@Component(immediate = true)
public class HealthSweeper {
    private static final Comparator<DeviceEntry> SWEEP_ORDER = Comparator.comparing(entry -> entry.device.id());

    private final DeviceBook book;
    private final DeviceRegistry registry;
    private final HealthChecker checker;
    private final CoreMetrics metrics;
    private final CoreThreads threads;
    private final Supplier<CoreSettings> settings;
    /** Guards the sweep schedule: the sweep thread and a configuration change both move it. */
    private final Object sweepSchedule = new Object();
    private ScheduledFuture<?> nextSweep;
    private long lastSweepStartNanos = System.nanoTime();
    /** The last sweep found no lease reconciler: the next one bound sweeps at once. */
    private boolean waitingForLeases;
    private final Runnable onSettingsChanged = this::reschedule;
    private volatile LeaseReconciler leases;
    private volatile boolean stopped;

    @Activate
    public HealthSweeper(@Reference DeviceBook book) {
        this.book = book;
        this.registry = book.registry();
        this.checker = book.checker();
        this.metrics = book.metrics();
        this.threads = book.threads();
        this.settings = book::settings;
    }

    /** The first sweep at once (after DS has bound the lease reconciler, when there is one). */
    @Activate
    void start() {
        book.addSettingsListener(onSettingsChanged);
        threads.execute(this::sweep);
    }

    @Deactivate
    void stop() {
        stopped = true;
        book.removeSettingsListener(onSettingsChanged);
        synchronized (sweepSchedule) {
            if (nextSweep != null) {
                nextSweep.cancel(false);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setLeases(LeaseReconciler reconciler) {
        this.leases = reconciler;
        synchronized (sweepSchedule) {
            if (waitingForLeases && nextSweep != null && nextSweep.cancel(false)) {
                waitingForLeases = false;
                nextSweep = threads.schedule(this::sweep, 0);
            }
        }
    }

    void unsetLeases(LeaseReconciler reconciler) {
        if (this.leases == reconciler) {
            this.leases = null;
        }
    }

    /** Whether the last sweep found no lease reconciler (and checked nothing). */
    boolean waitingForLeases() {
        synchronized (sweepSchedule) {
            return waitingForLeases;
        }
    }

    /** Starts a sweep: its lease round on the store's thread, which waits on the database; the checks here. */
    void sweep() {
        if (stopped()) {
            return;
        }
        long startedNanos = System.nanoTime();
        LeaseReconciler reconciler = leases;
        if (reconciler == null) {
            synchronized (sweepSchedule) {
                if (leases != null) { // bound meanwhile, before this sweep said it waits
                    nextSweep = threads.schedule(this::sweep, 0);
                    return;
                }
                if (!waitingForLeases) {
                    CoreLog.LOG.info("Health sweeps check nothing until a lease reconciler says which devices this "
                            + "gateway owns");
                }
                waitingForLeases = true;
                lastSweepStartNanos = startedNanos;
                scheduleNextSweep();
            }
            return;
        }
        synchronized (sweepSchedule) {
            waitingForLeases = false;
        }
        try {
            threads.writes().execute(() -> {
                LeaseReconciler.Prepared round = reconciler.prepare();
                threads.execute(() -> checkAll(reconciler, round, startedNanos));
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private boolean stopped() {
        return stopped || threads.stopped();
    }

    private void checkAll(LeaseReconciler reconciler, LeaseReconciler.Prepared round, long startedNanos) {
        if (stopped()) {
            return;
        }
        Instant now = Instant.now();
        List<DeviceEntry> due = new ArrayList<>();
        boolean leased = reconciler.apply(round, startedNanos);
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
        if (stopped()) {
            return;
        }
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSweepStartNanos);
        nextSweep = threads.schedule(this::sweep,
                Math.max(0, settings.get().config().healthInterval() * 1000L - sinceLast));
    }
}
