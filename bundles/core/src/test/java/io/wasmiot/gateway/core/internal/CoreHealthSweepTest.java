package io.wasmiot.gateway.core.internal;

import static io.wasmiot.gateway.core.internal.FakeProber.done;
import static io.wasmiot.gateway.core.internal.FakeProber.failure;
import static io.wasmiot.gateway.core.internal.FakeProber.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Assume;
import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.core.internal.RecordingEventAdmin.Posted;

/**
 * Health sweeps every interval (1 s here): failures make a device inactive and then forgotten,
 * blacklisted devices are never checked, and the brake holds when most devices cannot be reached.
 */
public class CoreHealthSweepTest extends CoreTestBase {
    @Test
    public void withoutProberSweepsSkipAndBlacklistedDevicesAreNeverChecked() {
        Communication okPlace = new Communication(List.of("10.0.0.1"), 6000);
        Communication blPlace = new Communication(List.of("10.0.0.2"), 6001);
        Device stored = store.preload(Device.introduced("ok", okPlace, "{}", "mdns", Instant.now()));
        store.preload(Device.introduced("bl", blPlace, "{}", "mdns", Instant.now()).withBlacklisted(true));
        start(Map.of("healthInterval", 1), false);
        core.sighted(at("late", 6002, "10.0.0.3"));

        Await.until("the first sweep made the blacklisted device inactive",
                () -> store.named("bl").status() == DeviceStatus.INACTIVE);
        assertEquals("no check without a prober", stored, store.named("ok"));
        Device bl = store.named("bl");
        assertEquals("a blacklisted active device turns inactive at the first sweep", DeviceStatus.INACTIVE, bl.status());
        assertEquals("blacklisted", bl.statusLog().get(0).reason());
        assertFalse("no introduction without a prober", store.findByName("late").isPresent());

        bind(prober);
        // Two checks of ok: the sweep of the second began after the sweep of the first had checked everything
        Await.until(() -> "two checks of ok after the prober came; calls " + prober.calls, Await.DEADLINE,
                () -> store.named("ok").okHealthCheckCount() >= 2);
        assertTrue("the blacklisted device is not checked: " + prober.calls, prober.calls("health", 6001).isEmpty());
        Await.until("the waiting introduction goes on", () -> !events.of(DeviceEventType.ADDED, "late").isEmpty());
    }

    @Test
    public void failingHealthMakesADeviceInactiveAndThenForgotten() {
        start(Map.of("healthInterval", 1, "failuresBeforeInactive", 1, "forgetAfter", 0));
        prober.health = (target, forwardedFor) -> done(failure("10.0.0.1: connection refused", List.of("10.0.0.1")));
        core.sighted(at("sick", 5000, "10.0.0.1"));

        Await.until("STATUS_CHANGED", () -> !events.of(DeviceEventType.STATUS_CHANGED).isEmpty());
        Posted change = events.of(DeviceEventType.STATUS_CHANGED).get(0);
        assertEquals("inactive", change.get(DeviceEvents.STATUS));
        assertEquals("active", change.get(DeviceEvents.PREVIOUS_STATUS));
        assertEquals("1 health checks failed: 10.0.0.1: connection refused", change.get(DeviceEvents.REASON));
        Device inactive = store.named("sick");
        assertEquals(DeviceStatus.INACTIVE, inactive.status());
        assertEquals(1, inactive.failedHealthCheckCount());
        assertNull(inactive.health().report());

        Await.until("REMOVED", () -> !events.of(DeviceEventType.REMOVED).isEmpty());
        assertEquals("inactive for more than 0 s",
                events.of(DeviceEventType.REMOVED).get(0).get(DeviceEvents.REASON));
        assertEquals(List.of(inactive.id()), store.deletedIds());
        assertEquals(0, store.count());
    }

    /** Ports whose every health check after the first one fails, as unreachable or as a bad answer. */
    private void failAfterFirstCheck(Set<Integer> failingPorts, boolean unreachable) {
        Map<Integer, AtomicInteger> checks = new ConcurrentHashMap<>();
        prober.health = (target, forwardedFor) -> {
            int n = checks.computeIfAbsent(target.port(), p -> new AtomicInteger()).incrementAndGet();
            return done(n > 1 && failingPorts.contains(target.port())
                    ? (unreachable ? FakeProber.unreachable(target.addresses().get(0) + ": connect timeout",
                            target.addresses()) : failure(target.addresses().get(0) + ": HTTP 500", target.addresses()))
                    : ok(FakeProber.REPORT, target.addresses().get(0)));
        };
    }

    /**
     * Introduces d0..d3 (ports 7000..7003) between two sweeps, so that the next sweep checks all four
     * together. Sweeps run at the core's start and every second after; when the introductions took
     * too long to be sure of that (a very slow machine), the test is skipped rather than guessed.
     */
    private void introduceFourBetweenSweeps(Map<String, ?> overrides) {
        long started = System.nanoTime();
        start(overrides);
        for (int i = 0; i < 4; i++) {
            introduce("d" + i, 7000 + i, "10.0.1." + i);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Assume.assumeTrue("introductions took " + tookMillis + " ms, too close to the next sweep", tookMillis < 800);
    }

    @Test
    public void theBrakeHoldsWhenMostDevicesOfASweepCannotBeReached() {
        failAfterFirstCheck(Set.of(7001, 7002, 7003), true);
        introduceFourBetweenSweeps(Map.of("healthInterval", 1, "failuresBeforeInactive", 1));
        Await.until(() -> "a braked sweep; store " + store.findAll(), Await.DEADLINE,
                () -> metric("wasmiot_health_brakes_total") >= 1);
        // health results are written behind the sweep, within StoreWriter.DELAY_MILLIS
        Await.until(() -> "the braked sweep's failures stored; store " + store.findAll(), Await.DEADLINE,
                () -> store.findAll().stream().filter(d -> !d.name().equals("d0"))
                        .allMatch(d -> d.failedHealthCheckCount() >= 1));
        for (int i = 1; i < 4; i++) {
            Device device = store.named("d" + i);
            assertTrue("enough failures to be made inactive: " + device, device.failedHealthCheckCount() >= 1);
            assertEquals(DeviceStatus.ACTIVE, device.status());
        }
        assertEquals(DeviceStatus.ACTIVE, store.named("d0").status());
        assertTrue(events.of(DeviceEventType.STATUS_CHANGED).isEmpty());
        assertTrue(events.of(DeviceEventType.REMOVED).isEmpty());
    }

    @Test
    public void devicesThatAnswerBadlyDoNotHoldTheBrake() {
        // 3 of 4 fail, but with refusals or bad answers: the network works, the devices are at fault
        failAfterFirstCheck(Set.of(7001, 7002, 7003), false);
        introduceFourBetweenSweeps(Map.of("healthInterval", 1, "failuresBeforeInactive", 1));
        Await.until(() -> "three STATUS_CHANGED; events " + events.events, Await.DEADLINE,
                () -> events.of(DeviceEventType.STATUS_CHANGED).size() == 3);
        for (int i = 1; i < 4; i++) {
            Device device = store.named("d" + i);
            assertEquals(DeviceStatus.INACTIVE, device.status());
            assertEquals("1 health checks failed: 10.0.1." + i + ": HTTP 500", device.statusLog().get(0).reason());
        }
        assertEquals(DeviceStatus.ACTIVE, store.named("d0").status());
        assertEquals(0.0, metric("wasmiot_health_brakes_total"), 0);
    }

    @Test
    public void theLastSweepsStartAndOutcomeAreMetrics() {
        long before = System.currentTimeMillis();
        failAfterFirstCheck(Set.of(7001, 7002, 7003), false);
        introduceFourBetweenSweeps(Map.of("healthInterval", 1, "maxDevices", 7));
        Await.until("a sweep of four with three failed", () -> metric("wasmiot_health_sweep_checked") == 4
                && metric("wasmiot_health_sweep_failed") == 3);
        double started = metric("wasmiot_health_sweep_started_timestamp_seconds");
        assertTrue("started " + started + " after the test began", started * 1000 >= before);
        assertTrue("started " + started + " not in the future", started * 1000 <= System.currentTimeMillis());
        assertEquals(1.0, metric("wasmiot_health_interval_seconds"), 0);
        assertEquals(7.0, metric("wasmiot_devices_max"), 0);
    }

    @Test
    public void withoutTheBrakeUnreachableDevicesTurnInactive() {
        failAfterFirstCheck(Set.of(7002, 7003), true);
        introduceFourBetweenSweeps(Map.of("healthInterval", 1, "failuresBeforeInactive", 1));
        Await.until("two STATUS_CHANGED", () -> events.of(DeviceEventType.STATUS_CHANGED).size() == 2);
        assertEquals(DeviceStatus.INACTIVE, store.named("d2").status());
        assertEquals(DeviceStatus.INACTIVE, store.named("d3").status());
        assertEquals(DeviceStatus.ACTIVE, store.named("d0").status());
        assertEquals(DeviceStatus.ACTIVE, store.named("d1").status());
        assertEquals("half unreachable: no brake", 0.0, metric("wasmiot_health_brakes_total"), 0);
    }
}
