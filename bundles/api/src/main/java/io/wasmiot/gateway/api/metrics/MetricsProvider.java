package io.wasmiot.gateway.api.metrics;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** A bundle's own metrics, gathered by {@code GET /metrics}. Cheap to call: counters, no I/O. */
@ConsumerType
public interface MetricsProvider {
    List<MetricSample> metrics();
}
