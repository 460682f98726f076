package io.wasmiot.gateway.source.statics.internal;

import io.wasmiot.lib.threads.NamedThreadFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;

/**
 * The {@code static} discovery source: the devices of the {@code wasmiot.gateway.source.static}
 * configurations ({@link StaticDeviceConfiguration}, one per device). A configured device is a
 * sighting, again on every open and rescan; a deleted configuration is a goodbye; whether the device
 * is alive is for the core's health checks. A device the core forgot while it is still configured
 * (inactive too long, deleted by an operator) is offered again after a back-off (the SPI's: 10 s,
 * doubling up to 5 min).
 *
 * <p>Its state lives on its one thread ({@code wasmiot-source-static}): every call, the core's and the
 * configurations', only queues work there, so nobody waits for anybody.
 */
@Component(service = {DiscoverySource.class, StaticSource.class}, immediate = true)
public class StaticSource implements DiscoverySource {
    static final String ID = "static";
    static final String GOODBYE = "static device configuration deleted";
    static final long FIRST_BACKOFF_MILLIS = 10_000;
    static final long MAX_BACKOFF_MILLIS = 300_000;
    private static final Logger LOG = LoggerFactory.getLogger(StaticSource.class);

    private final ScheduledThreadPoolExecutor thread;
    private final BooleanSupplier bundleStopping;
    private final long firstBackoffMillis;
    /** By configuration PID. */
    private final Map<String, StaticDevice> configured = new LinkedHashMap<>();
    private final Set<String> refused = new HashSet<>();
    private final Set<String> goodbyesWhileClosed = new HashSet<>();
    private final Map<String, Long> backoffs = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> reoffers = new HashMap<>();
    private SourceSession session;

    @Activate
    public StaticSource(BundleContext context) {
        this(() -> context.getBundle().getState() == Bundle.STOPPING, FIRST_BACKOFF_MILLIS);
    }

    StaticSource(BooleanSupplier bundleStopping, long firstBackoffMillis) {
        this.bundleStopping = bundleStopping;
        this.firstBackoffMillis = firstBackoffMillis;
        this.thread = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-source-static"));
        thread.setRemoveOnCancelPolicy(true);
    }

    @Deactivate
    void deactivate() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- DiscoverySource --------------------------------------------------------------------------

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void open(SourceSession newSession) {
        run(() -> {
            session = newSession;
            refused.clear();
            LOG.info("Static devices: discovery core bound; replaying {} device(s) and {} goodbye(s)",
                    configured.size(), goodbyesWhileClosed.size());
            for (String name : Set.copyOf(goodbyesWhileClosed)) {
                sayGoodbye(name);
            }
            configured.values().forEach(this::report);
        });
    }

    @Override
    public void close(SourceSession oldSession) {
        run(() -> {
            if (session == oldSession) {
                session = null;
            }
        });
    }

    @Override
    public void requery() {
        run(() -> {
            refused.clear();
            configured.values().forEach(this::report);
        });
    }

    @Override
    public void forgetSightings() {
        run(() -> {
            reoffers.values().forEach(future -> future.cancel(false));
            reoffers.clear();
            backoffs.clear();
            refused.clear();
            configured.values().forEach(this::report);
        });
    }

    @Override
    public void forgotten(String name) {
        run(() -> {
            StaticDevice device = byName(name);
            if (device == null) {
                return; // its configuration was deleted: nothing to offer again
            }
            long backoff = backoffs.merge(name, firstBackoffMillis, (old, first) -> Math.min(MAX_BACKOFF_MILLIS, old * 2));
            LOG.info("Static device {} was forgotten; still configured, so offered again in {} s", name, backoff / 1000);
            ScheduledFuture<?> previous = reoffers.put(name, later(() -> {
                reoffers.remove(name);
                StaticDevice still = byName(name);
                if (still != null) {
                    report(still);
                }
            }, backoff));
            if (previous != null) {
                previous.cancel(false);
            }
        });
    }

    // ---- the configurations ------------------------------------------------------------------------

    /** A configuration was created or changed. */
    void configured(StaticDevice device) {
        run(() -> {
            StaticDevice other = byName(device.name());
            if (other != null && !other.pid().equals(device.pid())) {
                LOG.warn("Static device configuration {} refused: the name {} is already configured by {}",
                        device.pid(), device.name(), other.pid());
                return;
            }
            StaticDevice previous = configured.put(device.pid(), device);
            if (previous != null && !previous.name().equals(device.name())) {
                forget(previous.name());
                sayGoodbye(previous.name());
            }
            goodbyesWhileClosed.remove(device.name());
            LOG.info("Static device {} configured ({})", device, device.pid());
            report(device);
        });
    }

    /** A configuration was deleted, or its component stopped. */
    void removed(String pid) {
        boolean stopping = bundleStopping.getAsBoolean();
        run(() -> {
            StaticDevice device = configured.remove(pid);
            if (device == null) {
                return;
            }
            forget(device.name());
            if (stopping) {
                return; // an update or a shutdown, not a deletion: the devices stay listed
            }
            LOG.info("Static device {}: configuration {} deleted", device.name(), pid);
            sayGoodbye(device.name());
        });
    }

    // ---- on the source's thread --------------------------------------------------------------------

    private void report(StaticDevice device) {
        if (session == null || refused.contains(device.name()) || reoffers.containsKey(device.name())) {
            return; // replayed at the next open; refused until a rescan; or waiting out a back-off
        }
        try {
            session.sighted(device.name(), device.communication());
        } catch (CapacityExceededException e) {
            refused.add(device.name());
            LOG.warn("Static device {} skipped: {}; offered again at the next rescan", device.name(), e.getMessage());
        } catch (IllegalStateException e) {
            LOG.debug("Static device {} not told: the session closed meanwhile", device.name());
        }
    }

    private void sayGoodbye(String name) {
        if (session == null) {
            goodbyesWhileClosed.add(name);
            return;
        }
        try {
            session.goodbye(name, GOODBYE);
            goodbyesWhileClosed.remove(name);
        } catch (IllegalStateException e) {
            goodbyesWhileClosed.add(name);
        }
    }

    /** The name's history no longer counts: its back-off and a pending offer go. */
    private void forget(String name) {
        backoffs.remove(name);
        refused.remove(name);
        ScheduledFuture<?> reoffer = reoffers.remove(name);
        if (reoffer != null) {
            reoffer.cancel(false);
        }
    }

    private StaticDevice byName(String name) {
        for (StaticDevice device : configured.values()) {
            if (device.name().equals(name)) {
                return device;
            }
        }
        return null;
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // deactivated meanwhile
        }
    }

    private ScheduledFuture<?> later(Runnable task, long delayMillis) {
        return thread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
}
