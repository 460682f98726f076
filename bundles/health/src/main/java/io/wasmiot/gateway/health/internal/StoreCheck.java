package io.wasmiot.gateway.health.internal;

import io.wasmiot.lib.threads.NamedThreadFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * The store answers: the device store is there and counts its devices within the timeout. The read
 * runs on a thread of this check's own, one at a time: a database that hangs holds that thread, not
 * the health check executor's, and a read still waiting is reported instead of starting another.
 */
@Component(service = HealthCheck.class, configurationPid = StoreCheckConfig.PID, property = {
        Tags.GATEWAY_CHECK + ":Boolean=true", HealthCheck.NAME + "=Store answers",
        HealthCheck.TAGS + "=" + Tags.STORE, HealthCheck.TAGS + "=" + Tags.READINESS})
@Designate(ocd = StoreCheckConfig.class)
public class StoreCheck implements HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCheck.class);

    private final int timeoutMillis;
    private final ExecutorService reader;
    /** The read in flight or last done; guarded by {@code this}. */
    private Future<Integer> read;
    private long readStartedNanos;
    private final AtomicBoolean failing = new AtomicBoolean();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DeviceStore store;

    @Activate
    public StoreCheck(StoreCheckConfig config) {
        this.timeoutMillis = Bounds.within(StoreCheckConfig.PID, "timeoutMillis", config.timeoutMillis(), 50, 60_000);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1),
                NamedThreadFactory.single("wasmiot-health-store"));
        executor.allowCoreThreadTimeOut(true); // no thread kept between checks
        this.reader = executor;
    }

    @Deactivate
    void deactivate() {
        reader.shutdownNow();
    }

    @Override
    public Result execute() {
        DeviceStore current = store;
        if (current == null) {
            return new Result(Result.Status.CRITICAL, "no device store: the store bundle is not running");
        }
        Future<Integer> pending;
        long startedNanos;
        synchronized (this) {
            if (read != null && !read.isDone()) {
                return new Result(Result.Status.CRITICAL, String.format("the store has not answered a read for %d ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readStartedNanos)));
            }
            readStartedNanos = System.nanoTime();
            try {
                read = reader.submit(current::count);
            } catch (RejectedExecutionException e) {
                return new Result(Result.Status.CRITICAL, "the store check is stopping");
            }
            pending = read;
            startedNanos = readStartedNanos;
        }
        try {
            int devices = pending.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (failing.compareAndSet(true, false)) {
                LOG.info("Health: the device store answers again");
            }
            return new Result(Result.Status.OK, String.format("the store counted %d device(s) in %d ms", devices,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)));
        } catch (TimeoutException e) {
            logFailure("the device store did not answer a read within " + timeoutMillis + " ms");
            return new Result(Result.Status.CRITICAL, "the store did not answer a read within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            logFailure("the device store failed a read: " + cause);
            // the cause may name hosts or database details: it goes to the log, not to an unauthenticated answer
            return new Result(Result.Status.CRITICAL, "the store failed a read (" + cause.getClass().getSimpleName()
                    + "); the gateway's log has the cause");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Result.Status.CRITICAL, "interrupted while waiting for the store");
        }
    }

    /** A warning when the store starts failing, not at every check while it keeps failing. */
    private void logFailure(String what) {
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Health: {}", what);
        } else {
            LOG.debug("Health: {}", what);
        }
    }
}
