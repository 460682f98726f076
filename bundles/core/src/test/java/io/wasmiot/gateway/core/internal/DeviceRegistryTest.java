package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.StatusChange;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;

public class DeviceRegistryTest {
    private static final Communication PLACE = new Communication(List.of("10.0.0.1"), 5000);

    private final FakeStore store = new FakeStore();
    private final CoreThreads threads = new CoreThreads();
    private final StoreWriter writer = new StoreWriter(store, threads.writes(), threads.work());
    private final DiscoverySources sources = new DiscoverySources(sighting -> { }, (name, reason) -> { });
    private final List<String> forgottenBySources = new CopyOnWriteArrayList<>();
    private final ProberSlot prober = new ProberSlot(threads);
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private final CoreMetrics metrics = new CoreMetrics();
    private final DeviceRegistry registry;

    public DeviceRegistryTest() {
        EventPoster poster = new EventPoster("gw-test");
        poster.bind(events);
        sources.add(new DiscoverySource() {
            @Override
            public String id() {
                return "test";
            }

            @Override
            public void open(SourceSession session) {
            }

            @Override
            public void close(SourceSession session) {
            }

            @Override
            public void forgotten(String name) {
                forgottenBySources.add(name);
            }
        }, 1, false);
        registry = new DeviceRegistry(store, writer, sources::forgotten, prober, poster, metrics);
    }

    @After
    public void stop() {
        threads.stop();
    }

    private DeviceEntry listed(String name) {
        Device stored = store.preload(Device.introduced(name, PLACE, "{}", "mdns", Instant.now()));
        registry.load(List.of(stored));
        return registry.get(name);
    }

    private double forgottenTotal() {
        return metrics.samples(List.of(), Configs.config(DiscoveryConfig.class, java.util.Map.of()), null, writer)
                .stream().filter(s -> s.name().equals("wasmiot_devices_forgotten_total")).findFirst().orElseThrow()
                .value();
    }

    @Test
    public void findTakesANameOrAnIdAndAdoptsADeviceOnlyInTheStore() {
        DeviceEntry known = listed("known");
        assertSame(known, registry.find("known"));
        assertSame(known, registry.find(known.device.id()));

        Device elsewhere = store.preload(Device.introduced("elsewhere", PLACE, "{}", "register", Instant.now()));
        DeviceEntry adopted = registry.find(elsewhere.id());
        assertEquals(Phase.LISTED, adopted.phase);
        assertSame("adopted into memory", adopted, registry.get("elsewhere"));
        assertNull(registry.find("nobody"));
    }

    @Test
    public void forgettingDeletesItTellsTheSourcesAndPostsRemoved() {
        DeviceEntry entry = listed("dev");
        String id = entry.device.id();
        int epoch = entry.epoch;
        AtomicInteger resumed = new AtomicInteger();
        prober.await(entry, resumed::incrementAndGet, null);
        java.util.concurrent.CompletableFuture<Void> written;
        synchronized (entry) {
            written = registry.forget(entry, "forgotten by operator");
        }

        assertEquals(Phase.FORGOTTEN, entry.phase);
        assertEquals(epoch + 1, entry.epoch);
        assertNull(registry.get("dev"));
        written.join(); // the row is deleted on the store's thread, with no device's monitor held
        assertEquals(List.of(id), store.deletedIds());
        assertEquals(List.of("dev"), forgottenBySources);
        assertEquals(1.0, forgottenTotal(), 0);
        assertEquals("forgotten by operator", events.of(DeviceEventType.REMOVED).get(0).get(DeviceEvents.REASON));
        prober.bind(new FakeProber());
        assertEquals("no longer waits for a prober", 0, resumed.get());
    }

    @Test
    public void forgettingHoldsTheDevicesMonitorNoLongerThanMemoryTakesNotWhileTheStoreDeletes() {
        DeviceEntry entry = listed("slow");
        String id = entry.device.id();
        store.deleteGate = new java.util.concurrent.CountDownLatch(1); // the database is slow
        java.util.concurrent.CompletableFuture<Void> written;
        synchronized (entry) {
            written = registry.forget(entry, "forgotten by operator");
        }
        assertFalse("forget returned while the row is still being deleted", written.isDone());
        assertTrue("REMOVED waits for the row", events.of(DeviceEventType.REMOVED).isEmpty());

        store.deleteGate.countDown();
        written.join();
        assertEquals(List.of(id), store.deletedIds());
        assertEquals(1, events.of(DeviceEventType.REMOVED).size());
    }

    @Test
    public void aDeviceNotYetListedIsForgottenWithoutStoreOrEvent() {
        DeviceEntry entry = new DeviceEntry("new");
        registry.putIfAbsent(entry);
        java.util.concurrent.CompletableFuture<Void> written;
        synchronized (entry) {
            written = registry.forget(entry, "said goodbye before its introduction ended");
        }
        assertTrue("nothing to write", written.isDone());
        assertFalse(registry.contains("new"));
        assertTrue(store.deletedIds().isEmpty());
        assertTrue(events.events.isEmpty());
        assertEquals(List.of("new"), forgottenBySources);
    }

    @Test
    public void droppingForgetsOnlyInMemory() {
        DeviceEntry entry = listed("dev");
        synchronized (entry) {
            registry.drop(entry, "removed from the store by another gateway sharing it");
        }
        assertEquals(Phase.FORGOTTEN, entry.phase);
        assertNull(registry.get("dev"));
        assertTrue(store.deletedIds().isEmpty());
        assertTrue(forgottenBySources.isEmpty());
        assertTrue(events.events.isEmpty());
        assertEquals(0.0, forgottenTotal(), 0);
    }

    @Test
    public void anUpdateIsStoredAndAStatusChangeIsPostedOnceStored() {
        DeviceEntry entry = listed("dev");
        Device inactive = entry.device.withStatus(
                new StatusChange(DeviceStatus.INACTIVE, Instant.now(), "5 health checks failed"), 50);
        synchronized (entry) {
            registry.update(entry, inactive, true);
        }
        Await.until("STATUS_CHANGED", () -> !events.of(DeviceEventType.STATUS_CHANGED).isEmpty());
        assertEquals(DeviceStatus.INACTIVE, store.named("dev").status());
        assertEquals("active", events.of(DeviceEventType.STATUS_CHANGED).get(0).get(DeviceEvents.PREVIOUS_STATUS));

        synchronized (entry) {
            registry.update(entry, entry.device.withLastSeen(Instant.now()));
        }
        writer.flush();
        assertEquals("no status change, no event", 1, events.events.size());
    }
}
