package io.wasmiot.gateway.core.internal;

import static io.wasmiot.gateway.core.internal.FakeProber.done;
import static io.wasmiot.gateway.core.internal.FakeProber.failure;
import static io.wasmiot.gateway.core.internal.FakeProber.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;
import io.wasmiot.gateway.core.internal.RecordingEventAdmin.Posted;

/**
 * What operators and sources do through the core: forget (one, all), blacklist, rescan, the
 * capacity limit, and sources' sessions.
 */
public class CoreOperatorActionsTest extends CoreTestBase {
    private static final class FakeSource implements DiscoverySource {
        final AtomicInteger requeries = new AtomicInteger();
        final AtomicInteger forgets = new AtomicInteger();
        volatile SourceSession session;

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public void open(SourceSession newSession) {
            session = newSession;
        }

        @Override
        public void close(SourceSession oldSession) {
            assertSame(session, oldSession);
            session = null;
        }

        @Override
        public void requery() {
            requeries.incrementAndGet();
        }

        @Override
        public void forgetSightings() {
            forgets.incrementAndGet();
        }

        @Override
        public void forgotten(String name) {
            forgottenNames.add(name);
        }

        final List<String> forgottenNames = new java.util.concurrent.CopyOnWriteArrayList<>();
    }

    @Test
    public void theBrowserHearsOfEveryForgottenDeviceSoItCanReportItAgain() {
        start(Map.of("introductionRounds", 1, "goodbyeGrace", 0));
        FakeSource browser = new FakeSource();
        core.addSource(browser, Map.of());
        prober.describe = target -> target.port() == 5001
                ? done(failure("10.0.0.1: read timed out", List.of("10.0.0.1"))) : done(ok(FakeProber.DESCRIPTION, "10.0.0.1"));
        core.sighted(at("broken", 5001, "10.0.0.1"));
        Await.until("broken not listed", () -> browser.forgottenNames.contains("broken"));
        introduce("fine", 5002, "10.0.0.1");
        core.goodbye("fine", "mDNS goodbye");
        Await.until("fine forgotten", () -> browser.forgottenNames.contains("fine"));
        assertEquals(List.of("broken", "fine"), browser.forgottenNames);
    }

    @Test
    public void aSourcesSessionIntroducesDevicesUnderItsIdAndClosesWhenTheCoreStops() {
        start(Map.of("goodbyeGrace", 0));
        FakeSource source = new FakeSource();
        core.addSource(source, Map.of());
        SourceSession session = source.session;
        assertTrue(session.isOpen());

        session.sighted("plc", new Communication(List.of("10.0.0.7"), 5003));
        // ADDED, not the row: the row is written a moment before the core lists the device, and a goodbye in
        // between ends its introduction (forgotten unlisted, no REMOVED)
        Await.until("plc listed", () -> !events.of(DeviceEventType.ADDED, "plc").isEmpty());
        assertEquals("fake", store.named("plc").source());
        session.goodbye("plc", "configuration deleted");
        Await.until("plc forgotten", () -> events.of(DeviceEventType.REMOVED).size() == 1);
        assertEquals("configuration deleted", events.of(DeviceEventType.REMOVED).get(0).get(DeviceEvents.REASON));

        core.deactivate();
        core = null;
        assertNull(source.session);
        assertFalse(session.isOpen());
        assertThrows(IllegalStateException.class, () -> session.sighted("late", new Communication(List.of("10.0.0.8"), 5003)));
    }

    @Test
    public void forgetAllDeletesEveryDeviceAndClearsTheBrowsersMemory() {
        start(Map.of());
        FakeSource kept = new FakeSource();
        FakeSource unbound = new FakeSource();
        core.addSource(kept, Map.of());
        core.addSource(unbound, Map.of());
        core.removeSource(unbound);
        Device a = introduce("a", 5000, "10.0.0.1");
        Device b = introduce("b", 5000, "10.0.0.2");

        assertEquals(2, core.forgetAll("DELETE /file/device"));
        assertEquals(0, store.count());
        assertEquals(1, store.deleteAllCalls);
        assertEquals(1, kept.forgets.get());
        assertEquals(0, unbound.forgets.get());
        List<Posted> removed = events.of(DeviceEventType.REMOVED);
        assertEquals(2, removed.size());
        assertEquals(Set.of(a.id(), b.id()), Set.of(removed.get(0).get(DeviceEvents.DEVICE_ID),
                removed.get(1).get(DeviceEvents.DEVICE_ID)));
        for (Posted event : removed) {
            assertEquals("DELETE /file/device", event.get(DeviceEvents.REASON));
        }
        assertEquals(0.0, metric("wasmiot_devices", "active"), 0);

        Device back = introduce("a", 5000, "10.0.0.1");
        assertNotEquals(a.id(), back.id());

        core.rescan();
        assertEquals(1, kept.requeries.get());
        assertEquals(0, unbound.requeries.get());
    }

    @Test
    public void blacklistingMakesAnActiveDeviceInactiveAndUnblacklistingKeepsItInactive() {
        start(Map.of());
        Device device = introduce("dev", 5000, "10.0.0.1");
        int eventsBefore = events.events.size();

        Device blacklisted = core.setBlacklisted("dev", true).orElseThrow();
        assertTrue(blacklisted.blacklisted());
        assertEquals(DeviceStatus.INACTIVE, blacklisted.status());
        assertEquals("blacklisted", blacklisted.statusLog().get(0).reason());
        assertEquals(blacklisted, store.named("dev"));
        List<Posted> changes = events.of(DeviceEventType.STATUS_CHANGED);
        assertEquals(1, changes.size());
        assertEquals(device.id(), changes.get(0).get(DeviceEvents.DEVICE_ID));
        assertEquals("inactive", changes.get(0).get(DeviceEvents.STATUS));
        assertEquals("active", changes.get(0).get(DeviceEvents.PREVIOUS_STATUS));
        assertEquals("blacklisted", changes.get(0).get(DeviceEvents.REASON));
        assertEquals(eventsBefore + 1, events.events.size());

        assertEquals("by _id, and again: no change", blacklisted, core.setBlacklisted(device.id(), true).orElseThrow());
        assertEquals(eventsBefore + 1, events.events.size());

        Device unblacklisted = core.setBlacklisted("dev", false).orElseThrow();
        assertFalse(unblacklisted.blacklisted());
        assertEquals(DeviceStatus.INACTIVE, unblacklisted.status());
        assertFalse(store.named("dev").blacklisted());
        List<Posted> updates = events.of(DeviceEventType.UPDATED);
        assertEquals(1, updates.size());
        assertEquals("unblacklisted", updates.get(0).get(DeviceEvents.REASON));

        assertEquals(Optional.empty(), core.setBlacklisted("nobody", true));
    }

    @Test
    public void aNewNameOverMaxDevicesIsRefused() {
        start(Map.of("maxDevices", 2));
        introduce("a", 5000, "10.0.0.1");
        introduce("b", 5000, "10.0.0.2");
        assertThrows(CapacityExceededException.class, () -> core.sighted(at("c", 5000, "10.0.0.3")));
        assertTrue(prober.calls("describe").stream().noneMatch(c -> c.target().addresses().contains("10.0.0.3")));

        core.sighted(at("a", 5001, "10.0.0.1")); // a known name is not new
        Await.until("a updated", () -> store.named("a").communication().port() == 5001);

        core.forget("b", "operator");
        introduce("c", 5000, "10.0.0.3");
        assertEquals(2, store.count());
    }

    @Test
    public void aDeviceOnlyInTheStoreCanBeForgottenByNameOrId() {
        start(Map.of());
        Communication where = new Communication(List.of("10.0.0.1"), 5000);
        Device byName = store.preload(Device.introduced("elsewhere", where, "{}", "register", Instant.now()));
        Device byId = store.preload(Device.introduced("other", where, "{}", "mdns", Instant.now()));
        assertEquals("not in memory", 0.0, metric("wasmiot_devices", "active"), 0);

        assertEquals(Optional.of(byName), core.forget("elsewhere", "operator"));
        assertEquals(Optional.of(byId), core.forget(byId.id(), "operator"));
        assertEquals(0, store.count());
        assertEquals(List.of(byName.id(), byId.id()), store.deletedIds());
        List<Posted> removed = events.of(DeviceEventType.REMOVED);
        assertEquals(2, removed.size());
        assertEquals(byName.id(), removed.get(0).get(DeviceEvents.DEVICE_ID));
        assertEquals("operator", removed.get(0).get(DeviceEvents.REASON));

        assertEquals(Optional.empty(), core.forget("nobody", "operator"));
        assertEquals(Optional.empty(), core.forget("0123456789abcdef01234567", "operator"));
        assertEquals(Optional.empty(), core.forget("elsewhere", "operator"));
    }

    @Test
    public void aListedDeviceIsForgottenByIdWithReason() {
        start(Map.of());
        Device device = introduce("dev", 5000, "10.0.0.1");
        assertEquals(device.id(), core.forget(device.id(), "DELETE /file/device/" + device.id()).orElseThrow().id());
        assertEquals(0, store.count());
        assertEquals("DELETE /file/device/" + device.id(),
                events.of(DeviceEventType.REMOVED).get(0).get(DeviceEvents.REASON));
        core.sighted(at("dev", 5000, "10.0.0.1"));
        Await.until("introduced anew", () -> events.of(DeviceEventType.ADDED).size() == 2);
    }
}
