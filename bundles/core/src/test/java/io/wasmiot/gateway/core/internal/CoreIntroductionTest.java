package io.wasmiot.gateway.core.internal;

import static io.wasmiot.gateway.core.internal.FakeProber.done;
import static io.wasmiot.gateway.core.internal.FakeProber.failure;
import static io.wasmiot.gateway.core.internal.FakeProber.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.ProbeResult;
import io.wasmiot.gateway.core.internal.RecordingEventAdmin.Posted;

/**
 * Introductions: a sighting is described (in rounds with backoff), listed with ADDED and checked at
 * once; a known name at another place is introduced again under its id; a goodbye or a prober
 * restart during an introduction.
 */
public class CoreIntroductionTest extends CoreTestBase {
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
