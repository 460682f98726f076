package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.source.SessionActivity;

public class SourceSessionMetricsTest {

    @Test
    public void eachOpenSessionIsLabelledBySourceAndBundle() {
        SourceSessionMetrics metrics = new SourceSessionMetrics(() -> List.of(
                new SessionActivity("static", 12, false, Instant.now().minusSeconds(30), 3, 1)));
        List<MetricSample> samples = metrics.metrics();
        assertEquals(3, samples.size());
        Map<String, String> labels = Map.of("source", "static", "bundle", "12");
        assertEquals(new MetricSample("wasmiot_source_session_sightings", "gauge",
                "Sightings a discovery source reported through its current session", labels, 3), samples.get(0));
        assertEquals(1, samples.get(1).value(), 0);
        assertTrue("open about 30 s: " + samples.get(2).value(), samples.get(2).value() >= 29 && samples.get(2).value() < 60);
    }
}
