package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.StatusChange;

public class CoreMetricsTest {
    private static final Communication PLACE = new Communication(List.of("10.0.0.1"), 5000);

    private final CoreMetrics metrics = new CoreMetrics();
    private final StoreWriter writer = new StoreWriter(new FakeStore(), null);
    private final DiscoveryConfig config = Configs.config(DiscoveryConfig.class, Map.of("healthInterval", 7));

    private static double value(List<MetricSample> samples, String name, String state) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && (state == null || state.equals(s.labels().get("state"))))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name)).value();
    }

    private static DeviceEntry in(Phase phase, DeviceStatus status) {
        Device device = Device.introduced("d", PLACE, "{}", "mdns", Instant.now());
        if (status == DeviceStatus.INACTIVE) {
            device = device.withStatus(new StatusChange(DeviceStatus.INACTIVE, Instant.now(), "failed"), 50);
        }
        DeviceEntry entry = DeviceEntry.listed(device);
        entry.phase = phase;
        return entry;
    }

    @Test
    public void devicesAreCountedByLifecycleStateAndForgottenOnesNotAtAll() {
        List<MetricSample> samples = metrics.samples(List.of(in(Phase.LISTED, DeviceStatus.ACTIVE),
                in(Phase.LISTED, DeviceStatus.ACTIVE), in(Phase.LISTED, DeviceStatus.INACTIVE),
                in(Phase.INTRODUCING, DeviceStatus.ACTIVE), in(Phase.LEAVING, DeviceStatus.ACTIVE),
                in(Phase.FORGOTTEN, DeviceStatus.ACTIVE)), config, null, writer);
        assertEquals(2, value(samples, "wasmiot_devices", "active"), 0);
        assertEquals(1, value(samples, "wasmiot_devices", "inactive"), 0);
        assertEquals(1, value(samples, "wasmiot_devices", "introducing"), 0);
        assertEquals(1, value(samples, "wasmiot_devices", "leaving"), 0);
    }

    @Test
    public void countersAndTheLastSweepsFiguresAreReported() {
        metrics.healthChecked();
        metrics.healthChecked();
        metrics.healthCheckFailed();
        metrics.healthCheckTook(1_500_000);
        metrics.forgotten(3);
        metrics.sweepStarted(12_000);
        metrics.sweepChecked(10, 4);
        metrics.sweepTook(0.25);
        List<MetricSample> samples = metrics.samples(List.of(), config,
                new LeaseRound(Set.of("a", "b"), Set.of("a", "b", "c"), 2), writer);

        assertEquals(2, value(samples, "wasmiot_health_checks_total", null), 0);
        assertEquals(1, value(samples, "wasmiot_health_check_failures_total", null), 0);
        assertEquals(1.5, value(samples, "wasmiot_health_check_seconds_total", null), 1e-9);
        assertEquals(3, value(samples, "wasmiot_devices_forgotten_total", null), 0);
        assertEquals(1, value(samples, "wasmiot_health_sweeps_total", null), 0);
        assertEquals(12, value(samples, "wasmiot_health_sweep_started_timestamp_seconds", null), 1e-9);
        assertEquals(10, value(samples, "wasmiot_health_sweep_checked", null), 0);
        assertEquals(4, value(samples, "wasmiot_health_sweep_failed", null), 0);
        assertEquals(0.25, value(samples, "wasmiot_health_sweep_seconds", null), 1e-9);
        assertEquals(7, value(samples, "wasmiot_health_interval_seconds", null), 0);
        assertEquals(2, value(samples, "wasmiot_devices_owned", null), 0);
        assertEquals(2, value(samples, "wasmiot_gateways_live", null), 0);
    }
}
