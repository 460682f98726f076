package io.wasmiot.gateway.api.metrics;

import java.util.Map;
import java.util.Objects;

/**
 * One sample of a Prometheus metric.
 *
 * @param name metric name, {@code wasmiot_} prefixed, snake case
 * @param type {@code counter} or {@code gauge}
 * @param help one line on what it counts
 * @param labels label names to values (may be empty)
 */
public record MetricSample(String name, String type, String help, Map<String, String> labels, double value) {
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        labels = Map.copyOf(labels);
    }

    public static MetricSample counter(String name, String help, double value) {
        return new MetricSample(name, "counter", help, Map.of(), value);
    }

    public static MetricSample gauge(String name, String help, double value) {
        return new MetricSample(name, "gauge", help, Map.of(), value);
    }
}
