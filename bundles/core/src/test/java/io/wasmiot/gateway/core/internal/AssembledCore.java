package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.event.EventAdmin;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SessionActivity;
import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * The core's components wired by hand in the order DS activates them (the book first; bindings before
 * the sweeper's first sweep) and stopped in the order DS deactivates them (dependents first), so that
 * the Core*Test classes drive the whole core through one object.
 */
final class AssembledCore {
    final DeviceBook book;
    private final DeviceStore store;
    private final DeviceLeases deviceLeases;
    /** The sources bound, with their properties: bound again to a new intake. */
    private final Map<DiscoverySource, Map<String, Object>> sources = new java.util.LinkedHashMap<>();
    SourceIntake intake;
    LeaseReconciler leases;
    HealthSweeper sweeper;
    final OperatorActions operator;
    final CoreMetricsProvider metrics;

    AssembledCore(DiscoveryConfig config, DeviceStore store, DeviceLeases deviceLeases) {
        this.store = store;
        this.deviceLeases = deviceLeases;
        book = new DeviceBook(config, Configs.bundleContext(), store);
        intake = new SourceIntake(book);
        leases = new LeaseReconciler(book, store, deviceLeases);
        sweeper = new HealthSweeper(book);
        sweeper.setLeases(leases);
        sweeper.start();
        operator = new OperatorActions(book);
        operator.setIntake(intake);
        metrics = new CoreMetricsProvider(book);
        metrics.setLeases(leases);
    }

    void deactivate() {
        operator.unsetIntake(intake);
        intake.deactivate();
        sweeper.stop();
        leases.deactivate();
        book.deactivate();
    }

    /** The intake swapped as DS does it: its dependents unbound, it deactivated, a new one bound with every source. */
    void swapIntake() {
        operator.unsetIntake(intake);
        intake.deactivate();
        intake = new SourceIntake(book);
        sources.forEach(intake::addSource);
        operator.setIntake(intake);
    }

    /** The lease reconciler swapped (as when the leases' provider is updated). */
    void swapLeases() {
        sweeper.unsetLeases(leases);
        metrics.unsetLeases(leases);
        leases.deactivate();
        leases = new LeaseReconciler(book, store, deviceLeases);
        sweeper.setLeases(leases);
        metrics.setLeases(leases);
    }

    /** The sweeper swapped. */
    void swapSweeper() {
        sweeper.stop();
        sweeper = new HealthSweeper(book);
        sweeper.setLeases(leases);
        sweeper.start();
    }

    void setProber(DeviceProber prober) {
        book.setProber(prober);
    }

    void unsetProber(DeviceProber prober) {
        book.unsetProber(prober);
    }

    void setEventAdmin(EventAdmin admin) {
        book.setEventAdmin(admin);
    }

    void addSource(DiscoverySource source, Map<String, Object> properties) {
        sources.put(source, properties);
        intake.addSource(source, properties);
    }

    void removeSource(DiscoverySource source) {
        sources.remove(source);
        intake.removeSource(source);
    }

    void sighted(Sighting sighting) {
        intake.sighted(sighting);
    }

    void goodbye(String name, String reason) {
        intake.goodbye(name, reason);
    }

    Optional<Device> forget(String idOrName, String reason) {
        return operator.forget(idOrName, reason);
    }

    int forgetAll(String reason) {
        return operator.forgetAll(reason);
    }

    Optional<Device> setBlacklisted(String idOrName, boolean blacklisted) {
        return operator.setBlacklisted(idOrName, blacklisted);
    }

    void rescan() {
        operator.rescan();
    }

    List<SessionActivity> openSessions() {
        return intake.openSessions();
    }

    List<MetricSample> metrics() {
        return metrics.metrics();
    }
}
