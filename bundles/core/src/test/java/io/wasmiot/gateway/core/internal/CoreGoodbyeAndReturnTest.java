package io.wasmiot.gateway.core.internal;

import static io.wasmiot.gateway.core.internal.FakeProber.done;
import static io.wasmiot.gateway.core.internal.FakeProber.failure;
import static io.wasmiot.gateway.core.internal.FakeProber.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.core.internal.RecordingEventAdmin.Posted;

/**
 * Goodbyes and returns: the goodbye grace, a return within it (same or another port), and an
 * inactive device that announces itself again.
 */
public class CoreGoodbyeAndReturnTest extends CoreTestBase {
    @Test
    public void aReturnWithinTheGoodbyeGraceKeepsTheDeviceAndEndsThatGrace() {
        start(Map.of("goodbyeGrace", 1));
        Device first = introduce("dev", 5000, "10.0.0.1");
        int describes = prober.calls("describe").size();

        long firstBye = System.nanoTime();
        core.goodbye("dev", "mDNS goodbye");
        assertEquals(1.0, metric("wasmiot_devices", "leaving"), 0);
        core.sighted(at("dev", 5000, "10.0.0.1"));
        assertEquals(0.0, metric("wasmiot_devices", "leaving"), 0);
        assertEquals(1.0, metric("wasmiot_devices", "active"), 0);
        assertEquals("same place: no new introduction", describes, prober.calls("describe").size());

        // A second goodbye half-way through the first one's grace: only its own grace may count
        awaitElapsed(firstBye, 500);
        assertEquals(first.id(), store.named("dev").id());
        long secondBye = System.nanoTime();
        core.goodbye("dev", "mDNS goodbye");
        Await.until("REMOVED", () -> !events.of(DeviceEventType.REMOVED).isEmpty());
        long afterSecond = TimeUnit.NANOSECONDS.toMillis(events.of(DeviceEventType.REMOVED).get(0).nanos() - secondBye);
        assertTrue("removed a full grace after the second goodbye, not at the end of the first one's: "
                + afterSecond + " ms", afterSecond >= 950);
        assertEquals(1, events.of(DeviceEventType.ADDED).size());
        assertEquals(List.of(first.id()), store.deletedIds());
    }

    @Test
    public void aReturnAtAnotherPortWithinTheGraceKeepsTheId() {
        start(Map.of("goodbyeGrace", 5));
        Device first = introduce("dev", 5000, "10.0.0.1");
        core.goodbye("dev", "mDNS goodbye");
        core.sighted(at("dev", 5002, "10.0.0.1"));
        Await.until("UPDATED", () -> !events.of(DeviceEventType.UPDATED).isEmpty());
        assertEquals(first.id(), events.of(DeviceEventType.UPDATED).get(0).get(DeviceEvents.DEVICE_ID));
        assertEquals(5002, store.named("dev").communication().port());
        assertTrue(events.of(DeviceEventType.REMOVED).isEmpty());
    }

    @Test
    public void aGoodbyeWithoutReturnRemovesTheDeviceAfterTheGrace() {
        start(Map.of("goodbyeGrace", 1));
        Device first = introduce("dev", 5000, "10.0.0.1");

        long bye = System.nanoTime();
        core.goodbye("dev", "mDNS goodbye");
        assertTrue("kept during the grace", store.findByName("dev").isPresent());
        core.goodbye("dev", "mDNS goodbye"); // repeated goodbyes change nothing

        Await.until("REMOVED", () -> !events.of(DeviceEventType.REMOVED).isEmpty());
        Posted removed = events.of(DeviceEventType.REMOVED).get(0);
        long afterMillis = TimeUnit.NANOSECONDS.toMillis(removed.nanos() - bye);
        assertTrue("removed only after the 1 s grace, was " + afterMillis + " ms", afterMillis >= 950);
        assertEquals(first.id(), removed.get(DeviceEvents.DEVICE_ID));
        assertEquals("dev", removed.get(DeviceEvents.DEVICE_NAME));
        String reason = (String) removed.get(DeviceEvents.REASON);
        assertTrue(reason, reason.contains("goodbye"));
        assertEquals(1, events.of(DeviceEventType.REMOVED).size());
        assertEquals(List.of(first.id()), store.deletedIds());
        assertEquals(0, store.count());
        assertEquals(0.0, metric("wasmiot_devices", "leaving"), 0);

        Device again = introduce("dev", 5000, "10.0.0.1");
        assertNotEquals("a device back after the grace is a new device", first.id(), again.id());
    }

    @Test
    public void aGoodbyeWithoutGraceRemovesAtOnce() {
        start(Map.of("goodbyeGrace", 0));
        Device first = introduce("dev", 5000, "10.0.0.1");
        core.goodbye("dev", "mDNS goodbye");
        // the row is deleted on the store's thread (no database wait on the source's), then REMOVED
        Await.until("dev's row deleted", () -> events.of(DeviceEventType.REMOVED).size() == 1);
        assertEquals("mDNS goodbye", events.of(DeviceEventType.REMOVED).get(0).get(DeviceEvents.REASON));
        assertEquals(List.of(first.id()), store.deletedIds());
        core.goodbye("unknown", "mDNS goodbye");
        assertEquals(1, events.of(DeviceEventType.REMOVED).size());
    }

    @Test
    public void anInactiveDeviceThatAnnouncesItselfAgainAtTheSamePlaceIsActiveOnceItAnswers() {
        reannounced(5000);
    }

    @Test
    public void anInactiveDeviceThatComesBackAtAnotherPortIsActiveOnceItAnswers() {
        reannounced(5001);
    }

    /**
     * A device down long enough to turn inactive (a restart that sent no goodbye) announces itself
     * again at {@code port}: re-introduced at once, and active as soon as that introduction's check
     * answers, not after successesBeforeActive (5) sweeps.
     */
    private void reannounced(int port) {
        start(Map.of("healthInterval", 1, "failuresBeforeInactive", 1, "successesBeforeActive", 5, "forgetAfter", 600));
        AtomicInteger checks = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        prober.health = (target, forwardedFor) -> {
            checks.incrementAndGet();
            return done(down.get() && target.port() == 5000
                    ? failure("10.0.0.1: connection refused", List.of("10.0.0.1"))
                    : ok(FakeProber.REPORT, target.addresses().get(0)));
        };
        Device first = introduce("dev", 5000, "10.0.0.1");
        down.set(true);
        Await.until("inactive", () -> store.named("dev").status() == DeviceStatus.INACTIVE);
        down.set(port == 5000 ? false : true);
        int describes = prober.calls("describe").size();

        core.sighted(at("dev", port, "10.0.0.1"));
        Await.until("active again", () -> store.named("dev").status() == DeviceStatus.ACTIVE);
        Device back = store.named("dev");
        assertEquals(first.id(), back.id());
        assertEquals(port, back.communication().port());
        assertEquals("announced itself again and answered", back.statusLog().get(0).reason());
        assertTrue("active at its introduction's check, not after 5 sweeps: " + back.okHealthCheckCount(),
                back.okHealthCheckCount() < 5);
        assertEquals("described again", describes + 1, prober.calls("describe").size());
        List<Posted> changes = events.of(DeviceEventType.STATUS_CHANGED);
        assertEquals("active", changes.get(changes.size() - 1).get(DeviceEvents.STATUS));
    }

    @Test
    public void anActiveDeviceAnnouncedAgainAtTheSamePlaceIsNotIntroducedAgain() {
        start(Map.of());
        introduce("dev", 5000, "10.0.0.1");
        int describes = prober.calls("describe").size();
        core.sighted(at("dev", 5000, "10.0.0.1"));
        core.sighted(at("dev", 5000, "10.0.0.1"));
        assertEquals(describes, prober.calls("describe").size());
    }
}
