package io.wasmiot.gateway.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * The devices this core knows, by name, and the steps every part of the lifecycle takes with them:
 * taking a device's new state (stored, with its status change announced), forgetting it, dropping it.
 * Each entry is guarded by its own monitor ({@link DeviceEntry}).
 */
final class DeviceRegistry {
    private static final Logger LOG = CoreLog.LOG;

    private final Map<String, DeviceEntry> entries = new ConcurrentHashMap<>();
    private final DeviceStore store;
    private final StoreWriter writer;
    /** Told each forgotten device's name: the sources report it again, after a back-off, if it is still there. */
    private final Consumer<String> forgottenNames;
    private final ProberSlot prober;
    private final EventPoster events;
    private final CoreMetrics metrics;

    DeviceRegistry(DeviceStore store, StoreWriter writer, Consumer<String> forgottenNames, ProberSlot prober,
                   EventPoster events, CoreMetrics metrics) {
        this.store = store;
        this.writer = writer;
        this.forgottenNames = forgottenNames;
        this.prober = prober;
        this.events = events;
        this.metrics = metrics;
    }

    /** The devices found in the store at the core's start, all listed. */
    void load(List<Device> stored) {
        for (Device device : stored) {
            entries.put(device.name(), DeviceEntry.listed(device));
        }
    }

    /** @return the entry under this name, or {@code null} */
    DeviceEntry get(String name) {
        return entries.get(name);
    }

    /** @return the entry already under this entry's name, or {@code null} when this one was put */
    DeviceEntry putIfAbsent(DeviceEntry entry) {
        return entries.putIfAbsent(entry.name, entry);
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    int size() {
        return entries.size();
    }

    /** A live view: entries come and go while it is read. */
    Collection<DeviceEntry> entries() {
        return entries.values();
    }

    /** The entries as they are now. */
    List<DeviceEntry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    /** By name or {@code _id}; a device in the store but not in memory (stored by another gateway) is adopted. */
    DeviceEntry find(String idOrName) {
        DeviceEntry byName = entries.get(idOrName);
        if (byName != null) {
            return byName;
        }
        if (Device.isValidId(idOrName)) {
            for (DeviceEntry entry : entries.values()) {
                Device device = entry.device;
                if (device != null && idOrName.equals(device.id())) {
                    return entry;
                }
            }
        }
        Optional<Device> stored = store.findByIdOrName(idOrName);
        if (stored.isEmpty()) {
            return null;
        }
        DeviceEntry adopted = DeviceEntry.listed(stored.get());
        DeviceEntry existing = entries.putIfAbsent(adopted.name, adopted);
        return existing != null ? existing : adopted;
    }

    /**
     * Takes the device as it now is, writes it to the store soon and, when its status changed, posts
     * STATUS_CHANGED once it is written; call with the entry's monitor held.
     */
    void update(DeviceEntry entry, Device after) {
        update(entry, after, false);
    }

    /** @param soon written as soon as the store writer is free, not in the next batch (an introduction's check) */
    void update(DeviceEntry entry, Device after, boolean soon) {
        Device before = entry.device;
        entry.device = after;
        Runnable afterWrite = null;
        if (before.status() != after.status()) {
            String reason = after.statusLog().isEmpty() ? null : after.statusLog().get(0).reason();
            LOG.info("Device {} is now {} (was {}): {}", entry.label(), after.status().wireName(),
                    before.status().wireName(), reason);
            afterWrite = () -> events.post(DeviceEventType.STATUS_CHANGED, after, before.status(), reason);
        }
        if (soon) {
            writer.soon(entry, afterWrite);
        } else {
            writer.later(entry, afterWrite);
        }
    }

    /**
     * Forgets a device (docs/contract.md §5): from memory at once, from the store and the sources'
     * sightings soon; call with the entry's monitor held.
     *
     * @return completes once its row is deleted and REMOVED posted (at once when it was never stored); a
     *     caller that answers someone waits for it after leaving the monitor
     */
    CompletableFuture<Void> forget(DeviceEntry entry, String reason) {
        remove(entry);
        prober.forget(entry);
        metrics.forgotten(1);
        forgottenNames.accept(entry.name);
        Device device = entry.device;
        if (device == null) {
            LOG.info("Device {} not listed: {}", entry.name, reason);
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("Device {} forgotten: {}", entry.label(), reason);
        String label = entry.label();
        return writer.deleteSoon(device.id()).handle((deleted, failure) -> {
            if (failure != null) {
                LOG.warn("Device {}: cannot delete it from the store ({})", label, failure.getMessage());
            }
            events.post(DeviceEventType.REMOVED, device, null, reason);
            return null;
        });
    }

    /** Forgets a device only in memory: another gateway removed it from the store and told everyone. */
    void drop(DeviceEntry entry, String reason) {
        remove(entry);
        LOG.info("Device {} dropped: {}", entry.label(), reason);
    }

    /** Marks the entry forgotten (work in flight for it is ignored) and takes it out; call with its monitor held. */
    void remove(DeviceEntry entry) {
        entry.phase = Phase.FORGOTTEN;
        entry.epoch++;
        entry.cancelGrace();
        entries.remove(entry.name, entry);
    }
}
