package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.DeviceStatus;

/** The core's counters and the figures of its last sweep, and the samples they make. */
final class CoreMetrics {
    private final AtomicLong descriptionQueries = new AtomicLong();
    private final AtomicLong descriptionFailures = new AtomicLong();
    private final AtomicLong healthChecks = new AtomicLong();
    private final AtomicLong healthFailures = new AtomicLong();
    private final AtomicLong healthSecondsTotalMicros = new AtomicLong();
    private final AtomicLong forgotten = new AtomicLong();
    private final AtomicLong brakes = new AtomicLong();
    private final AtomicLong sweeps = new AtomicLong();
    private volatile double lastSweepSeconds;
    /** When the last sweep started (epoch millis; 0 before the first), and its outcome: for health checks. */
    private volatile long lastSweepStartMillis;
    private volatile int lastSweepChecked;
    private volatile int lastSweepFailed;

    void descriptionQueried() {
        descriptionQueries.incrementAndGet();
    }

    void descriptionFailed() {
        descriptionFailures.incrementAndGet();
    }

    void healthChecked() {
        healthChecks.incrementAndGet();
    }

    void healthCheckFailed() {
        healthFailures.incrementAndGet();
    }

    void healthCheckTook(long micros) {
        healthSecondsTotalMicros.addAndGet(micros);
    }

    void forgotten(int devices) {
        forgotten.addAndGet(devices);
    }

    void braked() {
        brakes.incrementAndGet();
    }

    void sweepStarted(long epochMillis) {
        sweeps.incrementAndGet();
        lastSweepStartMillis = epochMillis;
    }

    /** A sweep's checks are all in: how many counted, and how many of those failed. */
    void sweepChecked(int checked, int failed) {
        lastSweepChecked = checked;
        lastSweepFailed = failed;
    }

    void sweepTook(double seconds) {
        lastSweepSeconds = seconds;
    }

    /** @param round the last lease round, or {@code null} before the first */
    List<MetricSample> samples(Iterable<DeviceEntry> entries, DiscoveryConfig config, LeaseRound round,
                               StoreWriter writer) {
        int active = 0;
        int inactive = 0;
        int introducing = 0;
        int leaving = 0;
        for (DeviceEntry entry : entries) {
            synchronized (entry) {
                switch (entry.phase) {
                    case INTRODUCING -> introducing++;
                    case LEAVING -> leaving++;
                    case LISTED -> {
                        if (entry.device.status() == DeviceStatus.ACTIVE) {
                            active++;
                        } else {
                            inactive++;
                        }
                    }
                    default -> { }
                }
            }
        }
        String devicesHelp = "Devices known to the discovery core, by lifecycle state";
        return List.of(
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "active"), active),
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "inactive"), inactive),
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "introducing"), introducing),
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "leaving"), leaving),
                MetricSample.counter("wasmiot_description_queries_total", "Description queries started",
                        descriptionQueries.get()),
                MetricSample.counter("wasmiot_description_failures_total", "Description queries that failed",
                        descriptionFailures.get()),
                MetricSample.counter("wasmiot_health_checks_total", "Health checks started", healthChecks.get()),
                MetricSample.counter("wasmiot_health_check_failures_total", "Health checks that failed",
                        healthFailures.get()),
                MetricSample.counter("wasmiot_health_check_seconds_total", "Time spent in health checks",
                        healthSecondsTotalMicros.get() / 1e6),
                MetricSample.counter("wasmiot_devices_forgotten_total", "Devices forgotten", forgotten.get()),
                MetricSample.counter("wasmiot_health_sweeps_total", "Health sweeps started", sweeps.get()),
                MetricSample.counter("wasmiot_health_brakes_total",
                        "Sweeps where the mass-failure brake held", brakes.get()),
                MetricSample.gauge("wasmiot_health_sweep_seconds", "Wall time of the last health sweep",
                        lastSweepSeconds),
                MetricSample.gauge("wasmiot_health_sweep_started_timestamp_seconds",
                        "When the last health sweep started (Unix time; 0 before the first)", lastSweepStartMillis / 1e3),
                MetricSample.gauge("wasmiot_health_sweep_checked", "Checks that counted in the last finished sweep",
                        lastSweepChecked),
                MetricSample.gauge("wasmiot_health_sweep_failed", "Checks that failed in the last finished sweep",
                        lastSweepFailed),
                MetricSample.gauge("wasmiot_health_interval_seconds", "The configured health interval",
                        config.healthInterval()),
                MetricSample.gauge("wasmiot_devices_max", "The configured maximum of devices (maxDevices)",
                        config.maxDevices()),
                MetricSample.gauge("wasmiot_devices_owned", "Devices whose lease this gateway holds (it checks them)",
                        round == null ? 0 : round.ownedIds().size()),
                MetricSample.gauge("wasmiot_gateways_live", "Gateways alive on the shared store, this one included",
                        round == null ? 0 : round.liveGateways()),
                MetricSample.counter("wasmiot_store_batches_total", "Batched writes of health results",
                        writer.batches()),
                MetricSample.counter("wasmiot_store_batched_devices_total", "Devices written in batches",
                        writer.batchedDevices()),
                MetricSample.counter("wasmiot_store_whole_batches_total",
                        "Group commits of whole devices (introductions, moves)", writer.wholeBatches()),
                MetricSample.counter("wasmiot_store_whole_devices_total",
                        "Whole devices written in group commits", writer.wholeDevices()));
    }
}
