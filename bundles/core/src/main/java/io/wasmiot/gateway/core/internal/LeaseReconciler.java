package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;

import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * The lease rounds (docs/scale-out.md): renews this gateway's leases and lines the working memory up
 * with the store, which other gateways sharing it change: a device removed there is dropped here,
 * a device this gateway has just taken over is read afresh (its last owner wrote its counters) or
 * adopted. The sweeper runs a round at the start of each sweep; without this component bound it checks
 * nothing. Its own component, so that an update of the leases' provider (the cluster bundle) restarts
 * this alone: it gives the leases back as it stops (after the last health results are written), and the
 * next one takes them again at the next sweep.
 */
@Component(service = LeaseReconciler.class, immediate = true)
public class LeaseReconciler {
    private static final Logger LOG = CoreLog.LOG;
    /** A lease lasts this many health intervals: a sweep that runs late does not lose it. */
    static final int LEASE_INTERVALS = 3;

    private final DeviceLeases leases;
    private final DeviceStore store;
    private final DeviceRegistry registry;
    private final Supplier<CoreSettings> settings;
    private final StoreWriter writer;
    /** Stopped: its leases are given back, so a sweep still holding it renews nothing and checks nothing. */
    private volatile boolean stopped;
    /** The last lease round; {@code null} before the first. */
    private volatile LeaseRound lastRound;

    @Activate
    public LeaseReconciler(@Reference DeviceBook book, @Reference DeviceStore store, @Reference DeviceLeases leases) {
        this(leases, store, book.registry(), book::settings, book.writer());
    }

    /** @param writer where the last health results go before the leases are given back */
    LeaseReconciler(DeviceLeases leases, DeviceStore store, DeviceRegistry registry, Supplier<CoreSettings> settings,
                    StoreWriter writer) {
        this.writer = writer;
        this.leases = leases;
        this.store = store;
        this.registry = registry;
        this.settings = settings;
    }

    /**
     * Gives this gateway's leases back, so that the other gateways on the store take the devices over at
     * once: first nothing is owned here any more (checks in flight are ignored), then the health results
     * waiting are written (the next owner reads them), then the leases go.
     */
    @Deactivate
    void deactivate() {
        stopped = true;
        for (DeviceEntry entry : registry.entries()) {
            synchronized (entry) {
                entry.owned = false;
            }
        }
        try {
            writer.flush();
            leases.releaseAll();
        } catch (StoreException e) {
            LOG.warn("Cannot write the last health results or give this gateway's leases back: {}", e.getMessage());
        }
    }

    /** @return the last lease round, or {@code null} before the first */
    LeaseRound lastRound() {
        return lastRound;
    }

    /** A lease round and the devices it hands over, read from the store; {@code null} round: the store failed. */
    record Prepared(LeaseRound round, Map<String, Optional<Device>> takenOver) {
    }

    /**
     * The database half of a lease round, on the store's thread with no device's monitor held: renews
     * the leases and reads the devices this gateway has just taken over (its previous owner wrote them).
     */
    Prepared prepare() {
        if (stopped) {
            return new Prepared(null, Map.of()); // a sweep that began before this reconciler stopped
        }
        LeaseRound round;
        try {
            round = leases.renew(Duration.ofSeconds(LEASE_INTERVALS * (long) settings.get().config().healthInterval()));
        } catch (StoreException e) {
            LOG.warn("Cannot renew this gateway's device leases ({}): no health check in this sweep", e.getMessage());
            return new Prepared(null, Map.of());
        }
        LeaseRound previous = lastRound;
        // Alone now and before: nobody else can have written a device since this core read it.
        boolean shared = round.liveGateways() > 1 || (previous != null && previous.liveGateways() > 1);
        Map<String, DeviceEntry> byId = new HashMap<>();
        for (DeviceEntry entry : registry.entries()) {
            Device device = entry.device;
            if (device != null) {
                byId.put(device.id(), entry);
            }
        }
        Map<String, Optional<Device>> takenOver = new HashMap<>();
        for (String id : round.ownedIds()) {
            DeviceEntry entry = byId.get(id);
            boolean newlyOwned;
            if (entry == null) {
                newlyOwned = true; // adopted
            } else {
                synchronized (entry) {
                    newlyOwned = shared && !entry.owned;
                }
            }
            if (newlyOwned) {
                try {
                    takenOver.put(id, store.findById(id));
                } catch (StoreException e) {
                    LOG.warn("Device {}: cannot read it after taking it over ({})",
                            entry == null ? id : entry.label(), e.getMessage());
                }
            }
        }
        return new Prepared(round, takenOver);
    }

    /**
     * The memory half of a lease round, at the start of a sweep: lines the devices up with the round.
     * @param startedNanos when the sweep started: a device saved since is newer than the round's snapshot
     * @return false when the store could not say who owns what: nothing is checked this sweep
     */
    boolean apply(Prepared prepared, long startedNanos) {
        LeaseRound previous = lastRound;
        LeaseRound round = prepared.round();
        if (round == null) {
            return false;
        }
        lastRound = round;
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
                    Optional<Device> stored = prepared.takenOver().getOrDefault(device.id(), Optional.empty());
                    if (stored.isPresent()) {
                        entry.device = stored.get();
                        LOG.info("Device {} taken over from another gateway: {}", entry.label(),
                                entry.device.status().wireName());
                    }
                    entry.takenOver();
                }
                entry.owned = owns;
                byId.put(device.id(), entry);
            }
        }
        for (String id : round.ownedIds()) {
            if (!byId.containsKey(id)) {
                prepared.takenOver().getOrDefault(id, Optional.empty()).ifPresent(this::adopt);
            }
        }
        return true;
    }

    /** A device this gateway owns but has not seen (registered at, or introduced by, another gateway). */
    private void adopt(Device stored) {
        DeviceEntry adopted = DeviceEntry.listed(stored);
        adopted.owned = true;
        adopted.takenOver();
        if (registry.putIfAbsent(adopted) == null) {
            LOG.info("Device {} taken over from another gateway: {}", adopted.label(),
                    adopted.device.status().wireName());
        }
    }
}
