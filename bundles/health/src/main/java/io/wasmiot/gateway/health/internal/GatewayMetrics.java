package io.wasmiot.gateway.health.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;

/**
 * The gateway's metrics at one moment, gathered from every {@link MetricsProvider} (the bundles'
 * own figures, as {@code GET /metrics} serves them): what a check reads, once per run.
 */
record GatewayMetrics(List<MetricSample> samples) {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);

    GatewayMetrics {
        samples = List.copyOf(samples);
    }

    static GatewayMetrics of(Collection<MetricsProvider> providers) {
        List<MetricSample> samples = new ArrayList<>();
        for (MetricsProvider provider : providers) {
            try {
                samples.addAll(provider.metrics());
            } catch (RuntimeException e) {
                // a provider that is going away (its bundle stopping) must not fail the check
                LOG.debug("Health: metrics of {} unreadable: {}", provider, e.toString());
            }
        }
        return new GatewayMetrics(samples);
    }

    /** The value of the first sample named {@code name}; empty when no provider publishes it. */
    OptionalDouble value(String name) {
        for (MetricSample sample : samples) {
            if (sample.name().equals(name)) {
                return OptionalDouble.of(sample.value());
            }
        }
        return OptionalDouble.empty();
    }

    /** The sum of every sample named {@code name} (all its labels); empty when none is published. */
    OptionalDouble sum(String name) {
        double total = 0;
        boolean found = false;
        for (MetricSample sample : samples) {
            if (sample.name().equals(name)) {
                total += sample.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }
}
