package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;

public class LeaseReconcilerTest {
    private static final Communication PLACE = new Communication(List.of("10.0.0.1"), 5000);

    private final FakeStore store = new FakeStore();
    private final FakeLeases leases = new FakeLeases(store);
    private final CoreThreads threads = new CoreThreads();
    private final StoreWriter writer = new StoreWriter(store, threads.writes(), threads.work());
    private final DeviceRegistry registry = new DeviceRegistry(store, writer,
            name -> { }, new ProberSlot(threads),
            new EventPoster("gw-test"), new CoreMetrics());
    private final CoreSettings settings = CoreSettings.of(
            Configs.config(DiscoveryConfig.class, Map.of("healthInterval", 7, "publicBaseUrl", "http://gw.test:3000")),
            3000, warning -> { });
    private final LeaseReconciler reconciler = new LeaseReconciler(leases, store, registry, () -> settings, writer);

    @After
    public void stop() {
        threads.stop();
    }

    private DeviceEntry listed(String name) {
        registry.load(List.of(store.preload(Device.introduced(name, PLACE, "{}", "mdns", Instant.now()))));
        return registry.get(name);
    }

    /** A round as the sweeper runs it: the store's half, then memory's. */
    private boolean renew(long startedNanos) {
        return reconciler.apply(reconciler.prepare(), startedNanos);
    }

    @Test
    public void aLeaseLastsThreeHealthIntervalsAndTheRoundIsKept() {
        assertNull(reconciler.lastRound());
        assertTrue(renew(System.nanoTime()));
        assertEquals(List.of(Duration.ofSeconds(21)), leases.leaseTimes);
        assertEquals(1, reconciler.lastRound().liveGateways());
    }

    @Test
    public void whenTheStoreCannotSayWhoOwnsWhatNothingIsChecked() {
        leases.failing(true);
        assertFalse(renew(System.nanoTime()));
        assertNull(reconciler.lastRound());
    }

    @Test
    public void stoppedItDisownsEveryDeviceGivesTheLeasesBackAndRenewsNothingMore() {
        DeviceEntry entry = listed("kept");
        assertTrue(renew(System.nanoTime()));
        assertTrue(entry.owned);

        reconciler.deactivate();
        assertFalse("checks in flight are ignored", entry.owned);
        assertEquals(1, leases.releases);
        // A sweep that took this reconciler before it stopped: no lease taken again, nothing checked
        assertFalse(renew(System.nanoTime()));
        assertEquals(1, leases.leaseTimes.size());
        assertFalse(entry.owned);
    }

    @Test
    public void aDeviceOwnedHereButNeverSeenIsAdoptedAndToldThisGatewaysUrl() {
        Device elsewhere = store.preload(Device.introduced("elsewhere", PLACE, "{}", "register", Instant.now()));
        assertTrue(renew(System.nanoTime()));

        DeviceEntry adopted = registry.get("elsewhere");
        assertEquals(elsewhere.id(), adopted.device.id());
        assertTrue(adopted.owned);
        assertTrue(adopted.mustTellGateway);
    }

    @Test
    public void aDeviceRemovedFromTheStoreIsDroppedUnlessSavedAfterTheRoundBegan() {
        DeviceEntry removed = listed("removed");
        long roundStarted = System.nanoTime();
        DeviceEntry newer = listed("newer"); // savedNanos after the round's start
        store.delete(removed.device.id());
        store.delete(newer.device.id());

        assertTrue(renew(roundStarted));
        assertEquals(Phase.FORGOTTEN, removed.phase);
        assertNull(registry.get("removed"));
        assertSame(newer, registry.get("newer"));
    }

    @Test
    public void aDeviceTakenOverFromAnotherGatewayIsReadAsThatGatewayLeftIt() {
        DeviceEntry entry = listed("theirs");
        String id = entry.device.id();
        leases.giveToAnotherGateway(id);
        assertTrue(renew(System.nanoTime()));
        assertFalse(entry.owned);

        store.preload(entry.device.withLastSeen(Instant.EPOCH));
        leases.takeBack(id);
        assertTrue(renew(System.nanoTime()));
        assertTrue(entry.owned);
        assertEquals(Instant.EPOCH, entry.device.lastSeen());
        assertTrue(entry.mustTellGateway);
    }
}
