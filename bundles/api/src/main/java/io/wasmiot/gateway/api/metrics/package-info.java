/**
 * Metrics whiteboard: every bundle with counters of its own registers a
 * {@link io.wasmiot.gateway.api.metrics.MetricsProvider} ({@code @ConsumerType}), and {@code GET /metrics}
 * gathers their {@link io.wasmiot.gateway.api.metrics.MetricSample}s. A package of its own: a method
 * added to a consumer type is a major step of its package, and kept apart that step concerns only the
 * metrics providers and {@code /metrics}, not the users of the other services.
 */
@Export
@Version("1.0.0")
package io.wasmiot.gateway.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
