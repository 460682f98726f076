package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * The devices this gateway knows and what every part of their lifecycle shares (docs/contract.md
 * §3-§5): the working memory ({@link DeviceRegistry}, loaded from the store at activation), the
 * store's writes ({@link StoreWriter}), the health checks and the rules they apply
 * ({@link HealthChecker}), the prober, events, counters, threads and the discovery configuration.
 * The core's other components each do one job on top of it and are swapped on their own:
 * {@link SourceIntake} (sources, sightings, introductions), {@link HealthSweeper},
 * {@link LeaseReconciler}, {@link OperatorActions} and {@link CoreMetricsProvider}. Swapping the book
 * restarts them all, and the devices come back from the store.
 */
@Component(service = DeviceBook.class, immediate = true, configurationPid = DiscoveryConfig.PID)
// No @Designate: DiscoveryConfig designates its own PID (ObjectClassDefinition.pid).
public class DeviceBook {
    private static final Logger LOG = CoreLog.LOG;

    private final int gatewayPort;
    private final CoreThreads threads = new CoreThreads();
    private final StoreWriter writer;
    private final ProberSlot prober = new ProberSlot(threads);
    private final CoreMetrics metrics = new CoreMetrics();
    private final EventPoster events;
    private final DeviceRegistry registry;
    private final HealthChecker checker;
    /** Told the name of each device forgotten (the sources, which report it again if it is still there). */
    private final List<Consumer<String>> forgottenListeners = new CopyOnWriteArrayList<>();
    /** Told when the configuration changed (the sweeper, whose schedule follows the health interval). */
    private final List<Runnable> settingsListeners = new CopyOnWriteArrayList<>();
    private volatile CoreSettings settings;

    @Activate
    public DeviceBook(DiscoveryConfig config, BundleContext context, @Reference DeviceStore store) {
        this.gatewayPort = PublicUrl.port(context.getProperty("org.osgi.service.http.port"));
        this.settings = CoreSettings.of(config, gatewayPort, LOG::warn);
        this.writer = new StoreWriter(store, threads.writes(), threads.work());
        this.events = new EventPoster(store.gatewayId());
        this.registry = new DeviceRegistry(store, writer, this::forgotten, prober, events, metrics);
        this.checker = new HealthChecker(registry, prober, new GatewayTeller(prober, this::settings), metrics,
                threads, this::settings);
        List<Device> stored;
        try {
            stored = store.findAll();
        } catch (RuntimeException e) {
            threads.stop(); // not activated: nobody else stops them
            throw e;
        }
        registry.load(stored);
        LOG.info("Discovery core started as gateway {}: {} device(s) in the store; health every {} s; public URL {}",
                store.gatewayId(), stored.size(), settings.config().healthInterval(), settings.publicBaseUrl());
    }

    @Modified
    void modified(DiscoveryConfig raw) {
        settings = CoreSettings.of(raw, gatewayPort, LOG::warn);
        DiscoveryConfig config = settings.config();
        LOG.info("Discovery configuration changed: health every {} s, inactive after {} failures, active after {} "
                        + "successes, forget after {} s, goodbye grace {} s; public URL {}",
                config.healthInterval(), config.failuresBeforeInactive(), config.successesBeforeActive(),
                config.forgetAfter(), config.goodbyeGrace(), settings.publicBaseUrl());
        settingsListeners.forEach(Runnable::run);
    }

    /** The core's other components are deactivated first (they need the book): the last writes go out here. */
    @Deactivate
    void deactivate() {
        threads.stop();
        try {
            writer.flush();
        } catch (StoreException e) {
            LOG.warn("Discovery core: cannot write its last health results: {}", e.getMessage());
        }
        LOG.info("Discovery core stopped ({} device(s) in memory; all are in the store)", registry.size());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setProber(DeviceProber newProber) {
        prober.bind(newProber);
    }

    void unsetProber(DeviceProber oldProber) {
        prober.unbind(oldProber);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        events.bind(admin);
    }

    void unsetEventAdmin(EventAdmin admin) {
        events.unbind(admin);
    }

    private void forgotten(String name) {
        forgottenListeners.forEach(listener -> listener.accept(name));
    }

    void addForgottenListener(Consumer<String> listener) {
        forgottenListeners.add(listener);
    }

    void removeForgottenListener(Consumer<String> listener) {
        forgottenListeners.remove(listener);
    }

    void addSettingsListener(Runnable listener) {
        settingsListeners.add(listener);
    }

    void removeSettingsListener(Runnable listener) {
        settingsListeners.remove(listener);
    }

    /** The discovery configuration in force (replaced whole when it changes). */
    CoreSettings settings() {
        return settings;
    }

    DeviceRegistry registry() {
        return registry;
    }

    StoreWriter writer() {
        return writer;
    }

    HealthChecker checker() {
        return checker;
    }

    ProberSlot prober() {
        return prober;
    }

    EventPoster events() {
        return events;
    }

    CoreMetrics metrics() {
        return metrics;
    }

    CoreThreads threads() {
        return threads;
    }
}
