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

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.ProbeResult;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;
import io.wasmiot.gateway.core.internal.RecordingEventAdmin.Posted;

/**
 * The discovery core driven through its public methods, with an in-memory store, a scripted prober
 * and a recording EventAdmin. The health interval is 60 s (no sweep during a test) unless a test
 * needs sweeps; then it is 1 s.
 */
public class DiscoveryCoreTest {
    private static final String BASE_URL = "http://gw.test:3000";

    private final FakeStore store = new FakeStore();
    private final FakeLeases leases = new FakeLeases(store);
    private final FakeProber prober = new FakeProber();
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private DiscoveryCore core;

    @After
    public void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    private DiscoveryCore start(Map<String, ?> overrides) {
        return start(overrides, true);
    }

    private DiscoveryCore start(Map<String, ?> overrides, boolean withProber) {
        Map<String, Object> config = new HashMap<>(Map.of(
                "healthInterval", 60, "goodbyeGrace", 1, "introductionBackoffMillis", 10, "publicBaseUrl", BASE_URL + "/"));
        config.putAll(overrides);
        core = new DiscoveryCore(Configs.config(DiscoveryConfig.class, config), Configs.bundleContext(), store, leases);
        core.setEventAdmin(events);
        if (withProber) {
            bind(prober);
        }
        // The first sweep runs at once on the core's thread: past its look at the devices, it cannot
        // check a device the test introduces, so the only sweeps a test sees are the interval's.
        Await.until("the first sweep", () -> metric("wasmiot_health_sweeps_total") >= 1);
        return core;
    }

    private void bind(DeviceProber newProber) {
        core.setProber(newProber);
    }

    private static Sighting at(String name, int port, String... addresses) {
        return new Sighting(name, new Communication(List.of(addresses), port), "mdns", Instant.now());
    }

    private double metric(String name) {
        return metric(name, null);
    }

    private double metric(String name, String state) {
        for (MetricSample sample : core.metrics()) {
            if (sample.name().equals(name) && (state == null || state.equals(sample.labels().get("state")))) {
                return sample.value();
            }
        }
        throw new AssertionError("no metric " + name + " " + state);
    }

    /** Sights a device and waits until it is listed and its first health check is stored. */
    private Device introduce(String name, int port, String... addresses) {
        core.sighted(at(name, port, addresses));
        Await.until(() -> name + " listed and checked once; store " + store.findAll() + ", events " + events.events,
                Await.DEADLINE,
                () -> store.findByName(name).map(d -> d.okHealthCheckCount() >= 1).orElse(false));
        return store.named(name);
    }

    private static void awaitElapsed(long sinceNanos, long millis) {
        Await.until(() -> millis + " ms elapsed", Duration.ofMillis(millis + 1000),
                () -> System.nanoTime() - sinceNanos >= TimeUnit.MILLISECONDS.toNanos(millis));
    }

    // ---- introduction ------------------------------------------------------------------------

    @Test
    public void introductionListsTheDevicePostsAddedAndChecksHealthAtOnce() {
        start(Map.of());
        core.sighted(at("dev", 5000, "10.0.0.1", "10.0.0.2"));

        Await.until("ADDED", () -> !events.of(DeviceEventType.ADDED).isEmpty());
        Device stored = store.named("dev");
        assertTrue(stored.id(), Device.isValidId(stored.id()));
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), stored.communication().addresses());
        assertEquals(5000, stored.communication().port());
        assertEquals(FakeProber.DESCRIPTION, stored.description());
        assertEquals("mdns", stored.source());
        assertEquals(DeviceStatus.ACTIVE, stored.status());
        assertEquals(1, stored.statusLog().size());
        assertEquals(DeviceStatus.ACTIVE, stored.statusLog().get(0).status());

        Posted added = events.of(DeviceEventType.ADDED).get(0);
        assertEquals(stored.id(), added.get(DeviceEvents.DEVICE_ID));
        assertEquals("dev", added.get(DeviceEvents.DEVICE_NAME));
        assertEquals("active", added.get(DeviceEvents.STATUS));
        assertTrue(added.get(DeviceEvents.TIMESTAMP) instanceof Long);

        // the immediate health check: the health interval is 60 s, so no sweep did it
        Await.until("first health check stored", () -> store.named("dev").okHealthCheckCount() == 1);
        Device checked = store.named("dev");
        assertEquals(stored.id(), checked.id());
        assertEquals(FakeProber.REPORT, checked.health().report());
        assertEquals(0, checked.failedHealthCheckCount());
        assertEquals(List.of("describe", "health"), prober.calls.stream().map(FakeProber.Call::kind).toList());
        FakeProber.Call health = prober.calls("health").get(0);
        assertEquals("X-Forwarded-For is the public base URL's host", "gw.test", health.argument());
        assertEquals(stored.communication(), health.target());
        assertEquals("a device knowing its gateway is not told again", 0, prober.calls("tell").size());
        assertEquals(1, events.events.size());
        assertEquals(1.0, metric("wasmiot_devices", "active"), 0);
    }

    @Test
    public void theAddressThatAnsweredTheDescriptionGoesFirstAndFailedOnesAreDropped() {
        start(Map.of());
        prober.describe = target -> done(ok(FakeProber.DESCRIPTION, "10.0.0.3", List.of("10.0.0.1"), true));
        Device device = introduce("dev", 5000, "10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertEquals(List.of("10.0.0.3", "10.0.0.2"), device.communication().addresses());
        assertEquals(List.of("10.0.0.3", "10.0.0.2"), prober.calls("health").get(0).target().addresses());
    }

    @Test
    public void aDeviceThatDoesNotKnowItsGatewayIsToldTheUrlAtItsFirstSweepCheck() {
        start(Map.of("healthInterval", 1));
        prober.health = (target, forwardedFor) -> done(ok(FakeProber.REPORT, "10.0.0.2", List.of("10.0.0.1"), false));
        introduce("dev", 5000, "10.0.0.1", "10.0.0.2");
        Await.until("POST /register", () -> !prober.calls("tell").isEmpty());
        List<String> kinds = prober.calls.stream().map(FakeProber.Call::kind).toList();
        assertEquals("told after a sweep's check, not the introduction's: " + kinds, List.of("describe", "health", "health", "tell"),
                kinds.subList(0, 4));
        assertEquals("the working address and the base URL without trailing slash",
                "10.0.0.2 " + BASE_URL, prober.calls("tell").get(0).argument());
        assertEquals("the failed address was dropped", List.of("10.0.0.2"),
                store.named("dev").communication().addresses());
    }

    @Test
    public void introductionFailingEveryRoundIsNeverListed() {
        start(Map.of("introductionRounds", 3, "introductionBackoffMillis", 40));
        prober.describe = target -> done(failure("10.0.0.1: connection refused", List.of("10.0.0.1")));
        core.sighted(at("ghost", 5000, "10.0.0.1"));

        Await.until("forgotten", () -> metric("wasmiot_devices_forgotten_total") == 1);
        List<FakeProber.Call> describes = prober.calls("describe");
        assertEquals(3, describes.size());
        long firstGap = describes.get(1).nanos() - describes.get(0).nanos();
        long secondGap = describes.get(2).nanos() - describes.get(1).nanos();
        assertTrue("backoff before round 2: " + firstGap, firstGap >= TimeUnit.MILLISECONDS.toNanos(40));
        assertTrue("backoff doubles before round 3: " + secondGap, secondGap >= TimeUnit.MILLISECONDS.toNanos(80));
        assertEquals(0, store.saveCount());
        assertTrue("never listed: no event at all, no REMOVED: " + events.events, events.events.isEmpty());
        assertTrue(prober.calls("health").isEmpty());
        assertEquals(0.0, metric("wasmiot_devices", "introducing"), 0);
        assertEquals(3.0, metric("wasmiot_description_failures_total"), 0);

        // the name is free again: a later sighting is a new introduction
        prober.describe = target -> done(ok(FakeProber.DESCRIPTION, "10.0.0.1"));
        introduce("ghost", 5000, "10.0.0.1");
        assertEquals(1, events.of(DeviceEventType.ADDED, "ghost").size());
    }

    @Test
    public void aLaterRoundCanSucceed() {
        start(Map.of("introductionRounds", 3));
        AtomicInteger rounds = new AtomicInteger();
        prober.describe = target -> done(rounds.incrementAndGet() < 3
                ? failure("10.0.0.1: timeout", List.of("10.0.0.1"))
                : ok(FakeProber.DESCRIPTION, "10.0.0.1"));
        introduce("slow", 5000, "10.0.0.1");
        assertEquals(3, prober.calls("describe").size());
        assertEquals(1, events.of(DeviceEventType.ADDED).size());
    }

    @Test
    public void aSightingWhileTheDescriptionIsPendingIsNotASecondIntroduction() {
        start(Map.of());
        CompletableFuture<ProbeResult> pending = new CompletableFuture<>();
        prober.describe = target -> pending;
        core.sighted(at("dev", 5000, "10.0.0.1"));
        core.sighted(at("dev", 5000, "10.0.0.1"));
        assertEquals(1, prober.calls("describe").size());
        assertEquals(1.0, metric("wasmiot_devices", "introducing"), 0);
        assertEquals(0, store.saveCount());

        pending.complete(ok(FakeProber.DESCRIPTION, "10.0.0.1"));
        Await.until("ADDED", () -> events.of(DeviceEventType.ADDED).size() == 1);
        assertEquals(1, store.count());
    }

    @Test
    public void aGoodbyeDuringTheIntroductionDropsTheDevice() {
        start(Map.of());
        CompletableFuture<ProbeResult> pending = new CompletableFuture<>();
        prober.describe = target -> target.port() == 5000 ? pending : done(ok(FakeProber.DESCRIPTION, "10.0.0.9"));
        core.sighted(at("dev", 5000, "10.0.0.1"));
        core.goodbye("dev", "mDNS goodbye");
        assertEquals("forgotten at once: it was never listed", 1.0, metric("wasmiot_devices_forgotten_total"), 0);
        assertEquals(0.0, metric("wasmiot_devices", "introducing"), 0);

        pending.complete(ok(FakeProber.DESCRIPTION, "10.0.0.1"));
        introduce("other", 6000, "10.0.0.9"); // work queued after the late answer
        assertFalse("the late description does not list it", store.findByName("dev").isPresent());
        assertTrue(events.of(DeviceEventType.ADDED, "dev").isEmpty());
        assertTrue(events.of(DeviceEventType.REMOVED).isEmpty());
    }

    @Test
    public void aGoodbyeWhileTheFirstSaveIsWrittenRemovesTheRowAgain() throws Exception {
        start(Map.of());
        store.saveEachGate = new CountDownLatch(1);
        core.sighted(at("dev", 5000, "10.0.0.1"));
        assertTrue("the first save is being written", store.saveEachEntered.await(5, TimeUnit.SECONDS));
        core.goodbye("dev", "mDNS goodbye");
        store.saveEachGate.countDown();
        Await.until(() -> "the row written after the goodbye is deleted; store " + store.findAll(), Await.DEADLINE,
                () -> store.count() == 0 && store.deletedIds().size() == 1);
        assertEquals(List.of(1), store.saveEachCalls);
        assertTrue(events.of(DeviceEventType.ADDED, "dev").isEmpty());
        assertTrue("never listed, so no REMOVED either", events.of(DeviceEventType.REMOVED).isEmpty());
        assertTrue("no health check for a device that left", prober.calls("health").isEmpty());
    }

    @Test
    public void aBurstOfIntroductionsIsStoredInFewerTransactionsThanDevices() throws Exception {
        start(Map.of());
        store.saveEachGate = new CountDownLatch(1);
        core.sighted(at("dev-0", 5000, "10.0.0.1"));
        assertTrue(store.saveEachEntered.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 20; i++) {
            core.sighted(at("dev-" + i, 5000 + i, "10.0.0.1"));
        }
        Await.until("every description answered", () -> prober.calls("describe").size() == 21);
        store.saveEachGate.countDown();
        Await.until(() -> "21 ADDED, have " + events.of(DeviceEventType.ADDED).size(), Await.DEADLINE,
                () -> events.of(DeviceEventType.ADDED).size() == 21);
        assertEquals(21, store.count());
        assertEquals(21, store.saveEachCalls.stream().mapToInt(Integer::intValue).sum());
        // Both core threads may be busy while the first write is held, so the rest may come in
        // more than one batch, but never one transaction a device.
        assertTrue("batches " + store.saveEachCalls, store.saveEachCalls.size() < 21);
        assertEquals(store.saveEachCalls.size(), metric("wasmiot_store_whole_batches_total"), 0);
        assertEquals(21.0, metric("wasmiot_store_whole_devices_total"), 0);
    }

    @Test
    public void aKnownNameAtAnotherPortIsIntroducedAgainUnderTheSameId() {
        start(Map.of());
        Device first = introduce("dev", 5000, "10.0.0.1");
        int describes = prober.calls("describe").size();

        core.sighted(at("dev", 5000, "10.0.0.1"));
        assertEquals("the same place again is a repeat", describes, prober.calls("describe").size());

        prober.describe = target -> done(ok("{\"v\":2}", target.addresses().get(0)));
        core.sighted(at("dev", 5001, "10.0.0.1"));
        Await.until("UPDATED", () -> events.of(DeviceEventType.UPDATED).size() == 1);
        Posted updated = events.of(DeviceEventType.UPDATED).get(0);
        assertEquals(first.id(), updated.get(DeviceEvents.DEVICE_ID));
        assertEquals("active", updated.get(DeviceEvents.STATUS));

        Device moved = store.named("dev");
        assertEquals(first.id(), moved.id());
        assertEquals(5001, moved.communication().port());
        assertEquals("{\"v\":2}", moved.description());
        assertEquals(1, store.count());
        assertEquals(first.statusLog(), moved.statusLog());
        assertEquals(1, events.of(DeviceEventType.ADDED).size());
        assertTrue(events.of(DeviceEventType.REMOVED).isEmpty());

        Await.until("health check at the new port", () -> !prober.calls("health", 5001).isEmpty());
        Await.until("counters kept across the move", () -> store.named("dev").okHealthCheckCount() == 2);
    }

    @Test
    public void aMovedDeviceWhoseDescriptionFailsIsRemoved() {
        start(Map.of("introductionRounds", 2));
        Device first = introduce("dev", 5000, "10.0.0.1");
        prober.describe = target -> done(failure("10.0.0.7: refused", List.of("10.0.0.7")));
        core.sighted(at("dev", 5000, "10.0.0.7"));
        Await.until("REMOVED", () -> !events.of(DeviceEventType.REMOVED).isEmpty());
        Posted removed = events.of(DeviceEventType.REMOVED).get(0);
        assertEquals(first.id(), removed.get(DeviceEvents.DEVICE_ID));
        String reason = (String) removed.get(DeviceEvents.REASON);
        assertTrue(reason, reason.contains("description query failed 2 times"));
        assertNull("REMOVED carries no status", removed.get(DeviceEvents.STATUS));
        assertEquals(0, store.count());
    }

    // ---- goodbye -----------------------------------------------------------------------------

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

    // ---- operator actions --------------------------------------------------------------------

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
        Await.until("plc listed", () -> store.findByName("plc").isPresent());
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

    // ---- health sweeps -----------------------------------------------------------------------

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

    // ---- leases: several gateways on one store ----------------------------------------------

    private static Device checkedOnce(Device device, int okCount) {
        return new Device(device.id(), device.name(), device.communication(), device.description(),
                DeviceStatus.ACTIVE, 0, okCount, device.statusLog(), device.health(), false, device.source(),
                device.lastSeen());
    }

    @Test
    public void onlyDevicesThisGatewayOwnsAreCheckedAndATakenOverDeviceIsReadAfresh() {
        start(Map.of("healthInterval", 1));
        Device mine = introduce("mine", 7100, "10.0.2.1");
        Device theirs = introduce("theirs", 7101, "10.0.2.2");
        leases.giveToAnotherGateway(theirs.id());
        int checksOfTheirsAtHandOver = prober.calls("health", 7101).size();
        long sweepsAtHandOver = (long) metric("wasmiot_health_sweeps_total");
        Await.until("three more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAtHandOver + 3);
        assertTrue("checked while owned", prober.calls("health", 7100).size() >= 3);
        // one check may have been in flight when the lease went
        assertTrue(prober.calls("health", 7101).size() <= checksOfTheirsAtHandOver + 1);
        assertEquals(1.0, metric("wasmiot_devices_owned"), 0);
        assertEquals(2.0, metric("wasmiot_gateways_live"), 0);

        // The other gateway checked it meanwhile and wrote its counters; taking it back reads them.
        store.preload(checkedOnce(store.named("theirs"), 77));
        leases.takeBack(theirs.id());
        Await.until(() -> "theirs checked again from 77; " + store.named("theirs"), Await.DEADLINE,
                () -> store.named("theirs").okHealthCheckCount() >= 78);
        assertEquals(mine.id(), store.named("mine").id());
    }

    @Test
    public void aDeviceTakenOverFromAnotherGatewayIsToldThisGatewaysUrlThoughItSaysAGatewayIsSet() {
        start(Map.of("healthInterval", 1));
        // The default prober's health answers say Custom-Orchestrator-Set: true (the other gateway told it).
        Device theirs = introduce("theirs", 7102, "10.0.2.3");
        leases.giveToAnotherGateway(theirs.id());
        long sweepsAtHandOver = (long) metric("wasmiot_health_sweeps_total");
        Await.until("two more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAtHandOver + 2);
        assertEquals("a device whose gateway is set is not told while another gateway has it",
                0, prober.calls("tell").size());

        leases.takeBack(theirs.id());
        Await.until("POST /register after the takeover", () -> !prober.calls("tell", 7102).isEmpty());
        assertEquals("the working address and this gateway's base URL", "10.0.2.3 " + BASE_URL,
                prober.calls("tell", 7102).get(0).argument());
        long sweepsAfterTelling = (long) metric("wasmiot_health_sweeps_total");
        Await.until("three more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAfterTelling + 3);
        assertEquals("told once: afterwards its Custom-Orchestrator-Set: true holds again",
                1, prober.calls("tell", 7102).size());
    }

    @Test
    public void aTakenOverDeviceThatCouldNotBeToldIsToldAgainAtTheNextIntervalUntilItIs() {
        start(Map.of("healthInterval", 1));
        Device theirs = introduce("theirs", 7103, "10.0.2.4");
        leases.giveToAnotherGateway(theirs.id());
        long sweepsAtHandOver = (long) metric("wasmiot_health_sweeps_total");
        Await.until("two more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAtHandOver + 2);
        AtomicInteger attempts = new AtomicInteger();
        prober.tell = target -> done(attempts.incrementAndGet() == 1
                ? failure("connection refused", List.of("10.0.2.4")) : ok("{\"status\":\"success\"}", "10.0.2.4"));

        leases.takeBack(theirs.id());
        Await.until("told at the second attempt", () -> prober.calls("tell", 7103).size() >= 2);
        long sweepsAfterTelling = (long) metric("wasmiot_health_sweeps_total");
        Await.until("three more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAfterTelling + 3);
        assertEquals("not told again once it was", 2, prober.calls("tell", 7103).size());
        List<FakeProber.Call> tells = prober.calls("tell", 7103);
        assertTrue("at most once per health interval (1 s) even while it fails",
                tells.get(1).nanos() - tells.get(0).nanos() >= TimeUnit.MILLISECONDS.toNanos(900));
    }

    @Test
    public void aDeviceRemovedByAnotherGatewayIsDroppedWithoutAnEventAndCanComeBack() {
        start(Map.of("healthInterval", 1));
        Device gone = introduce("gone", 7200, "10.0.3.1");
        store.delete(gone.id()); // another gateway forgot it
        Await.until("dropped from memory", () -> metric("wasmiot_devices", "active") == 0);
        assertTrue("the gateway that decided posts REMOVED, not this one",
                events.of(DeviceEventType.REMOVED).isEmpty());
        assertFalse("not re-created by a late health write", store.findById(gone.id()).isPresent());

        Device back = introduce("gone", 7200, "10.0.3.1");
        assertNotEquals(gone.id(), back.id());
    }

    @Test
    public void aDeviceRegisteredAtAnotherGatewayAndOwnedHereIsAdoptedAndChecked() {
        start(Map.of("healthInterval", 1));
        Device elsewhere = store.preload(Device.introduced("elsewhere",
                new Communication(List.of("10.0.4.1"), 7300), FakeProber.DESCRIPTION, "register",
                Instant.now()));
        Await.until("adopted and checked", () -> store.named("elsewhere").okHealthCheckCount() >= 1);
        assertEquals(elsewhere.id(), store.named("elsewhere").id());
        assertEquals(1.0, metric("wasmiot_devices", "active"), 0);
        // It knows the gateway it registered at; from now on this one checks it, and says so.
        Await.until("POST /register to the adopted device", () -> !prober.calls("tell", 7300).isEmpty());
        assertEquals("10.0.4.1 " + BASE_URL, prober.calls("tell", 7300).get(0).argument());
    }

    @Test
    public void withoutALeaseRoundNothingIsCheckedAndLeasesSpanThreeIntervals() {
        start(Map.of("healthInterval", 1));
        introduce("dev", 7400, "10.0.5.1");
        leases.failing(true);
        int checksBefore = prober.calls("health", 7400).size();
        long sweeps = (long) metric("wasmiot_health_sweeps_total");
        Await.until("two sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweeps + 2);
        assertTrue(prober.calls("health", 7400).size() <= checksBefore + 1);
        assertEquals(DeviceStatus.ACTIVE, store.named("dev").status());
        leases.failing(false);
        Await.until("checked again", () -> prober.calls("health", 7400).size() > checksBefore + 1);
        assertEquals(Duration.ofSeconds(3), leases.leaseTimes.get(0));

        core.deactivate();
        core = null;
        assertEquals("a clean stop hands the devices over at once", 1, leases.releases);
    }

    @Test
    public void everyEventNamesTheGatewayThatDecidedIt() {
        start(Map.of());
        introduce("dev", 7500, "10.0.6.1");
        assertEquals(FakeLeases.GATEWAY_ID, events.of(DeviceEventType.ADDED).get(0).get(DeviceEvents.ORIGIN));
    }

    // ---- prober replaced during an introduction ----------------------------------------------

    @Test
    public void anIntroductionInterruptedByAProberRestartGoesOnWithTheNextProber() {
        start(Map.of());
        prober.describe = target -> done(failure("prober stopped", List.of()));
        core.sighted(at("dev", 5000, "10.0.0.1"));
        Await.until("the stopping prober was asked", () -> prober.calls("describe").size() == 1);
        // SCR replaces a greedy reference: the new prober binds, then the old one is unbound
        FakeProber next = new FakeProber();
        bind(next);
        core.unsetProber(prober);
        Await.until(() -> "the device listed; describe calls " + prober.calls("describe").size() + " + "
                        + next.calls("describe").size() + ", metrics " + core.metrics(), Await.DEADLINE,
                () -> !events.of(DeviceEventType.ADDED).isEmpty());
        assertEquals("the stopping prober is not asked again", 1, prober.calls("describe").size());
        assertEquals(1, next.calls("describe").size());
    }

    @Test
    public void aDeviceSightedBeforeAnyProberIsDescribedWhenOneBinds() {
        start(Map.of(), false);
        core.sighted(at("early", 5000, "10.0.0.1"));
        bind(prober);
        Await.until("listed", () -> !events.of(DeviceEventType.ADDED, "early").isEmpty());
        assertEquals(List.of("describe", "health"), prober.calls.stream().map(FakeProber.Call::kind).toList());
    }
}
