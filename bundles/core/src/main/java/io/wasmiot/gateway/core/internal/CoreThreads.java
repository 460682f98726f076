package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

import io.wasmiot.lib.threads.NamedThreadFactory;

/**
 * The core's threads: two that do the lifecycle's work ({@code wasmiot-core}) and one for the store's
 * writes ({@code wasmiot-core-store}), and whether the core has stopped.
 */
final class CoreThreads {
    private static final Logger LOG = CoreLog.LOG;

    private final ScheduledThreadPoolExecutor work;
    private final ScheduledThreadPoolExecutor writes;
    private volatile boolean stopped;

    CoreThreads() {
        this.work = new ScheduledThreadPoolExecutor(2, NamedThreadFactory.numbered("wasmiot-core"));
        work.setRemoveOnCancelPolicy(true);
        // The store's writes on a thread of their own: a batch waits on the database, and the core's
        // threads must start the sweep's checks on time (docs/notes-mdns-intake.md).
        this.writes = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-core-store"));
    }

    /** Where the lifecycle's work runs (completions of the prober's futures included). */
    Executor work() {
        return work;
    }

    /** Where the store's writes run. */
    ScheduledThreadPoolExecutor writes() {
        return writes;
    }

    boolean stopped() {
        return stopped;
    }

    /** Runs {@code task} soon; nothing when stopping. */
    void execute(Runnable task) {
        try {
            work.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** @return the scheduled task, or {@code null} when stopping */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return work.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // stopping
        }
    }

    /** Stops taking work and waits up to 5 s for each pool's running tasks. */
    void stop() {
        stopped = true;
        // No interrupt (shutdownNow): a core thread may be writing the store, and H2 closes the whole
        // database when a thread is interrupted in file I/O (SwapLeakIT: the next core found it
        // closed). Waiting timers are dropped; running tasks are short and finish.
        for (ScheduledThreadPoolExecutor pool : List.of(work, writes)) {
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            pool.shutdown();
        }
        try {
            if (!work.awaitTermination(5, TimeUnit.SECONDS) || !writes.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Discovery core: tasks still running 5 s after stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
