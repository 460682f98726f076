package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.Sighting;

/**
 * The discovery core driven through its public methods, with an in-memory store, a scripted prober
 * and a recording EventAdmin: the fixture of the Core*Test classes (one a behaviour). The health
 * interval is 60 s (no sweep during a test) unless a test needs sweeps; then it is 1 s.
 */
abstract class CoreTestBase {
    static final String BASE_URL = "http://gw.test:3000";
    final FakeStore store = new FakeStore();
    final FakeLeases leases = new FakeLeases(store);
    final FakeProber prober = new FakeProber();
    final RecordingEventAdmin events = new RecordingEventAdmin();
    AssembledCore core;

    @After
    public void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    AssembledCore start(Map<String, ?> overrides) {
        return start(overrides, true);
    }

    AssembledCore start(Map<String, ?> overrides, boolean withProber) {
        Map<String, Object> config = new HashMap<>(Map.of(
                "healthInterval", 60, "goodbyeGrace", 1, "introductionBackoffMillis", 10, "publicBaseUrl", BASE_URL + "/"));
        config.putAll(overrides);
        core = new AssembledCore(Configs.config(DiscoveryConfig.class, config), store, leases);
        core.setEventAdmin(events);
        if (withProber) {
            bind(prober);
        }
        // The first sweep runs at once on the core's thread: past its look at the devices, it cannot
        // check a device the test introduces, so the only sweeps a test sees are the interval's.
        Await.until("the first sweep", () -> metric("wasmiot_health_sweeps_total") >= 1);
        return core;
    }

    void bind(DeviceProber newProber) {
        core.setProber(newProber);
    }

    static Sighting at(String name, int port, String... addresses) {
        return new Sighting(name, new Communication(List.of(addresses), port), "mdns", Instant.now());
    }

    double metric(String name) {
        return metric(name, null);
    }

    double metric(String name, String state) {
        for (MetricSample sample : core.metrics()) {
            if (sample.name().equals(name) && (state == null || state.equals(sample.labels().get("state")))) {
                return sample.value();
            }
        }
        throw new AssertionError("no metric " + name + " " + state);
    }

    /** Sights a device and waits until it is listed and its first health check is stored. */
    Device introduce(String name, int port, String... addresses) {
        core.sighted(at(name, port, addresses));
        Await.until(() -> name + " listed and checked once; store " + store.findAll() + ", events " + events.events,
                Await.DEADLINE,
                () -> store.findByName(name).map(d -> d.okHealthCheckCount() >= 1).orElse(false));
        return store.named(name);
    }

    static void awaitElapsed(long sinceNanos, long millis) {
        Await.until(() -> millis + " ms elapsed", Duration.ofMillis(millis + 1000),
                () -> System.nanoTime() - sinceNanos >= TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
