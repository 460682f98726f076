package io.wasmiot.gateway.health.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;

/** A metrics provider for tests: the samples it is given, as the core would publish them. */
final class Metrics implements MetricsProvider {
    private final List<MetricSample> samples = new ArrayList<>();

    Metrics gauge(String name, double value) {
        samples.add(MetricSample.gauge(name, "test", value));
        return this;
    }

    Metrics devices(String state, double value) {
        samples.add(new MetricSample("wasmiot_devices", "gauge", "test", Map.of("state", state), value));
        return this;
    }

    @Override
    public List<MetricSample> metrics() {
        return List.copyOf(samples);
    }
}
