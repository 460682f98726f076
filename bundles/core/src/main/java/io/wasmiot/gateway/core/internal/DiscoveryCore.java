package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.DiscoveryControl;
import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.DiscoverySourceActivity;
import io.wasmiot.gateway.api.source.SessionActivity;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * The device lifecycle (docs/contract.md §3-§5) as a component: it wires the parts that decide and
 * hands them what DS binds. Sightings start introductions ({@link Sightings}, {@link Introducer}); a
 * sweep every health interval ({@link HealthSweeper}) checks every listed device this gateway owns
 * ({@link HealthChecker}; leases, shared with the other gateways on the same store:
 * {@link LeaseReconciler}); counters and status are written to the store with each check (in
 * batches, {@link StoreWriter}), so a new core (after an update or a restart, here or on another
 * gateway) continues where the old one stopped. Events go to EventAdmin ({@link EventPoster}).
 * Sightings come from every {@link DiscoverySource} bound, each opened with a session of its own
 * ({@link DiscoverySources}).
 */
@Component(service = {DiscoveryControl.class, MetricsProvider.class, DiscoverySourceActivity.class}, immediate = true,
        configurationPid = DiscoveryConfig.PID)
// No @Designate: it takes one PID; DiscoveryConfig designates its own PID (ObjectClassDefinition.pid).
public class DiscoveryCore implements DiscoveryControl, MetricsProvider, DiscoverySourceActivity {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryCore.class);

    private final DeviceLeases leases;
    private final int gatewayPort;
    private final CoreThreads threads = new CoreThreads();
    private final StoreWriter writer;
    /** Every bound discovery source, opened with a session of its own (multiple, dynamic). */
    private final DiscoverySources sources = new DiscoverySources(this::sighted, this::goodbye);
    private final ProberSlot prober = new ProberSlot(threads);
    private final CoreMetrics metrics = new CoreMetrics();
    private final EventPoster events;
    private final DeviceRegistry registry;
    private final Sightings sightings;
    private final LeaseReconciler leaseRounds;
    private final HealthSweeper sweeper;
    private final OperatorActions operator;
    private volatile CoreSettings settings;

    @Activate
    public DiscoveryCore(DiscoveryConfig config, BundleContext context,
                         @Reference DeviceStore store, @Reference DeviceLeases leases) {
        this.leases = leases;
        String gatewayId = leases.gatewayId();
        this.gatewayPort = PublicUrl.port(context.getProperty("org.osgi.service.http.port"));
        this.writer = new StoreWriter(store, threads.writes(), threads.work());
        apply(config);
        this.events = new EventPoster(gatewayId);
        this.registry = new DeviceRegistry(store, writer, sources, prober, events, metrics);
        HealthChecker checker = new HealthChecker(registry, prober, new GatewayTeller(prober, this::settings),
                metrics, threads, this::settings);
        Introducer introducer = new Introducer(registry, prober, checker, writer, events, metrics, threads,
                this::settings);
        this.sightings = new Sightings(registry, introducer, threads, this::settings);
        this.leaseRounds = new LeaseReconciler(leases, store, registry, this::settings);
        this.sweeper = new HealthSweeper(registry, leaseRounds, checker, metrics, threads, this::settings);
        this.operator = new OperatorActions(registry, writer, sources, events, metrics, this::settings);
        List<Device> stored = store.findAll();
        registry.load(stored);
        LOG.info("Discovery core started as gateway {}: {} device(s) in the store; health every {} s; public URL {}",
                gatewayId, stored.size(), settings.config().healthInterval(), settings.publicBaseUrl());
        threads.execute(sweeper::sweep);
    }

    @Modified
    void modified(DiscoveryConfig raw) {
        int oldInterval = settings.config().healthInterval();
        apply(raw);
        CoreSettings changed = settings;
        DiscoveryConfig newConfig = changed.config();
        if (newConfig.healthInterval() != oldInterval) {
            sweeper.reschedule();
        }
        LOG.info("Discovery configuration changed: health every {} s, inactive after {} failures, active after {} "
                        + "successes, forget after {} s, goodbye grace {} s; public URL {}",
                newConfig.healthInterval(), newConfig.failuresBeforeInactive(), newConfig.successesBeforeActive(),
                newConfig.forgetAfter(), newConfig.goodbyeGrace(), changed.publicBaseUrl());
    }

    private void apply(DiscoveryConfig raw) {
        this.settings = CoreSettings.of(raw, gatewayPort, LOG::warn);
    }

    private CoreSettings settings() {
        return settings;
    }

    @Deactivate
    void deactivate() {
        sources.closeAll();
        threads.stop();
        try {
            writer.flush();
            leases.releaseAll(); // the other gateways sharing the store take over at once
        } catch (StoreException e) {
            LOG.warn("Discovery core: cannot write its last health results or release its leases: {}",
                    e.getMessage());
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(DiscoverySource source, Map<String, Object> properties) {
        sources.add(source, properties.get(Constants.SERVICE_BUNDLEID) instanceof Long bundleId ? bundleId : -1,
                Boolean.TRUE.equals(properties.get(DiscoverySource.PUSH_PROPERTY)));
    }

    void removeSource(DiscoverySource source) {
        sources.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        events.bind(admin);
    }

    void unsetEventAdmin(EventAdmin admin) {
        events.unbind(admin);
    }

    /** What a source's session reports. @throws CapacityExceededException a new device when the gateway is full */
    void sighted(Sighting sighting) {
        sightings.sighted(sighting);
    }

    /** What a source's session reports: {@code reason} is its own words ("mDNS goodbye"). */
    void goodbye(String name, String reason) {
        sightings.goodbye(name, reason);
    }

    @Override
    public Optional<Device> forget(String idOrName, String reason) {
        return operator.forget(idOrName, reason);
    }

    @Override
    public int forgetAll(String reason) {
        return operator.forgetAll(reason);
    }

    @Override
    public Optional<Device> setBlacklisted(String idOrName, boolean blacklisted) {
        return operator.setBlacklisted(idOrName, blacklisted);
    }

    @Override
    public List<SessionActivity> openSessions() {
        return sources.activity();
    }

    @Override
    public void rescan() {
        operator.rescan();
    }

    @Override
    public List<MetricSample> metrics() {
        return metrics.samples(registry.entries(), settings.config(), leaseRounds.lastRound(), writer);
    }
}
