package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * The lease rounds (docs/scale-out.md): renews this gateway's leases and lines the working memory up
 * with the store, which other gateways sharing it change: a device removed there is dropped here,
 * a device this gateway has just taken over is read afresh (its last owner wrote its counters) or
 * adopted.
 */
final class LeaseReconciler {
    /** The core's logger: its lines keep the name operators know. */
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryCore.class);
    /** A lease lasts this many health intervals: a sweep that runs late does not lose it. */
    static final int LEASE_INTERVALS = 3;

    private final DeviceLeases leases;
    private final DeviceStore store;
    private final DeviceRegistry registry;
    private final Supplier<CoreSettings> settings;
    /** The last lease round; {@code null} before the first. */
    private volatile LeaseRound lastRound;

    LeaseReconciler(DeviceLeases leases, DeviceStore store, DeviceRegistry registry, Supplier<CoreSettings> settings) {
        this.leases = leases;
        this.store = store;
        this.registry = registry;
        this.settings = settings;
    }

    /** @return the last lease round, or {@code null} before the first */
    LeaseRound lastRound() {
        return lastRound;
    }

    /**
     * One lease round, at the start of a sweep.
     * @param startedNanos when the sweep started: a device saved since is newer than the round's snapshot
     * @return false when the store cannot say who owns what: nothing is checked this sweep
     */
    boolean renew(long startedNanos) {
        LeaseRound previous = lastRound;
        LeaseRound round;
        try {
            round = leases.renew(Duration.ofSeconds(LEASE_INTERVALS * (long) settings.get().config().healthInterval()));
        } catch (StoreException e) {
            LOG.warn("Cannot renew this gateway's device leases ({}): no health check in this sweep", e.getMessage());
            return false;
        }
        lastRound = round;
        // Alone now and before: nobody else can have written a device since this core read it.
        boolean shared = round.liveGateways() > 1 || (previous != null && previous.liveGateways() > 1);
        Map<String, DeviceEntry> byId = new HashMap<>();
        for (DeviceEntry entry : registry.entries()) {
            synchronized (entry) {
                Device device = entry.device;
                if (device == null || entry.phase == Phase.FORGOTTEN) {
                    continue;
                }
                if (!round.storedIds().contains(device.id())) {
                    // Saved after the round began: not missing, just newer than the round's snapshot.
                    if (entry.phase != Phase.INTRODUCING && entry.savedNanos - startedNanos < 0) {
                        registry.drop(entry, "removed from the store by another gateway sharing it");
                    }
                    continue;
                }
                boolean owns = round.owns(device.id());
                if (owns && !entry.owned && shared) {
                    refresh(entry);
                    entry.takenOver();
                }
                entry.owned = owns;
                byId.put(device.id(), entry);
            }
        }
        for (String id : round.ownedIds()) {
            if (!byId.containsKey(id)) {
                adopt(id);
            }
        }
        return true;
    }

    /** Reads a device taken over from another gateway as that gateway left it; call with the monitor held. */
    private void refresh(DeviceEntry entry) {
        try {
            Optional<Device> stored = store.findById(entry.device.id());
            if (stored.isPresent()) {
                entry.device = stored.get();
                LOG.info("Device {} taken over from another gateway: {}", entry.label(),
                        entry.device.status().wireName());
            }
        } catch (StoreException e) {
            LOG.warn("Device {}: cannot read it after taking it over ({})", entry.label(), e.getMessage());
        }
    }

    /** A device this gateway owns but has not seen (registered at, or introduced by, another gateway). */
    private void adopt(String id) {
        Optional<Device> stored;
        try {
            stored = store.findById(id);
        } catch (StoreException e) {
            LOG.warn("Device {}: cannot read it to take it over ({})", id, e.getMessage());
            return;
        }
        if (stored.isEmpty()) {
            return; // removed since the round
        }
        DeviceEntry adopted = DeviceEntry.listed(stored.get());
        adopted.owned = true;
        adopted.takenOver();
        if (registry.putIfAbsent(adopted) == null) {
            LOG.info("Device {} taken over from another gateway: {}", adopted.label(),
                    adopted.device.status().wireName());
        }
    }
}
