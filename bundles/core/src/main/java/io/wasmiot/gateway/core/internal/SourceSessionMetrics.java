package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.gateway.api.source.DiscoverySourceActivity;
import io.wasmiot.gateway.api.source.SessionActivity;

/**
 * Each open discovery source's session in {@code GET /metrics}, labelled by source id and bundle:
 * gauges, since a reopened source starts a new session at zero. A source that had devices and stays
 * at zero sightings after a reopen is the one to look at.
 */
@Component(service = MetricsProvider.class)
public class SourceSessionMetrics implements MetricsProvider {
    private final DiscoverySourceActivity sources;

    @Activate
    public SourceSessionMetrics(@Reference DiscoverySourceActivity sources) {
        this.sources = sources;
    }

    @Override
    public List<MetricSample> metrics() {
        List<MetricSample> samples = new ArrayList<>();
        for (SessionActivity session : sources.openSessions()) {
            Map<String, String> labels = Map.of("source", session.sourceId(), "bundle", Long.toString(session.bundleId()));
            samples.add(new MetricSample("wasmiot_source_session_sightings", "gauge",
                    "Sightings a discovery source reported through its current session", labels, session.sightings()));
            samples.add(new MetricSample("wasmiot_source_session_goodbyes", "gauge",
                    "Goodbyes a discovery source reported through its current session", labels, session.goodbyes()));
            samples.add(new MetricSample("wasmiot_source_session_open_seconds", "gauge",
                    "Seconds since the discovery core opened the source's current session", labels,
                    Math.max(0, Duration.between(session.openedAt(), Instant.now()).toMillis() / 1000.0)));
        }
        return samples;
    }
}
