package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.StoreException;

/** What an operator asks of the core (REST, console, shell): forget, blacklist, rescan. */
final class OperatorActions {
    /** The core's logger: its lines keep the name operators know. */
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryCore.class);
    /** How long an operator's request waits for the store to take its change. */
    private static final long STORE_WAIT_SECONDS = 10;

    private final DeviceRegistry registry;
    private final StoreWriter writer;
    private final DiscoverySources sources;
    private final EventPoster events;
    private final CoreMetrics metrics;
    private final Supplier<CoreSettings> settings;

    OperatorActions(DeviceRegistry registry, StoreWriter writer, DiscoverySources sources, EventPoster events,
                    CoreMetrics metrics, Supplier<CoreSettings> settings) {
        this.registry = registry;
        this.writer = writer;
        this.sources = sources;
        this.events = events;
        this.metrics = metrics;
        this.settings = settings;
    }

    Optional<Device> forget(String idOrName, String reason) {
        DeviceEntry entry = registry.find(idOrName);
        if (entry == null) {
            return Optional.empty();
        }
        Device device;
        CompletableFuture<Void> forgotten;
        synchronized (entry) {
            if (entry.phase == Phase.FORGOTTEN) {
                return Optional.empty();
            }
            device = entry.device;
            forgotten = registry.forget(entry, reason);
        }
        awaitStore(forgotten, entry.label()); // the caller reads the list next
        return Optional.ofNullable(device);
    }

    /** Waits, with no device's monitor held, for a write the operator's next read must see. */
    private static void awaitStore(CompletableFuture<?> written, String label) {
        try {
            written.get(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Device {}: the store has not taken the change after {} s; it still will", label,
                    STORE_WAIT_SECONDS);
        } catch (ExecutionException e) {
            // logged where the write failed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int forgetAll(String reason) {
        List<Device> listed = new ArrayList<>();
        for (DeviceEntry entry : registry.snapshot()) {
            synchronized (entry) {
                if (entry.phase == Phase.FORGOTTEN) {
                    continue;
                }
                registry.remove(entry);
                if (entry.device != null) {
                    listed.add(entry.device);
                }
            }
        }
        int deleted = writer.deleteAllNow();
        // A device sighted and stored while the wipe ran is new: the wipe must not take it along. Saved
        // with no monitor held; taken back only if nothing happened to the entry meanwhile.
        for (DeviceEntry entry : registry.snapshot()) {
            Device kept;
            int epoch;
            synchronized (entry) {
                if (entry.phase == Phase.FORGOTTEN || entry.device == null || entry.phase == Phase.INTRODUCING) {
                    continue;
                }
                kept = entry.device;
                epoch = entry.epoch;
            }
            try {
                Device stored = writer.saveNow(kept);
                synchronized (entry) {
                    if (entry.epoch == epoch && entry.device == kept) {
                        entry.device = stored;
                        entry.savedNanos = System.nanoTime();
                    }
                }
            } catch (StoreException e) {
                LOG.warn("Device {}: cannot store it again after the wipe ({})", entry.label(), e.getMessage());
            }
        }
        metrics.forgotten(listed.size());
        LOG.info("All devices forgotten ({}): {} deleted", reason, deleted);
        for (Device device : listed) {
            events.post(DeviceEventType.REMOVED, device, null, reason);
        }
        sources.forgetSightings();
        return deleted;
    }

    Optional<Device> setBlacklisted(String idOrName, boolean blacklisted) {
        DeviceEntry entry = registry.find(idOrName);
        if (entry == null) {
            return Optional.empty();
        }
        Device after;
        boolean changed;
        boolean sameStatus = false;
        synchronized (entry) {
            if (entry.device == null || entry.phase == Phase.FORGOTTEN) {
                return Optional.empty();
            }
            changed = entry.device.blacklisted() != blacklisted;
            if (changed) {
                Device before = entry.device;
                registry.update(entry, settings.get().rules().blacklisted(before, blacklisted, Instant.now()));
                LOG.info("Device {} {}", entry.label(), blacklisted ? "blacklisted" : "unblacklisted");
                sameStatus = before.status() == entry.device.status();
            }
            after = entry.device;
        }
        if (changed) {
            writer.flush(); // the caller reads the list next; written with no device's monitor held
            if (sameStatus) { // a status change has its own event, posted once written
                events.post(DeviceEventType.UPDATED, after, null, blacklisted ? "blacklisted" : "unblacklisted");
            }
        }
        return Optional.of(after);
    }

    void rescan() {
        LOG.info("Rescan requested: {} discovery source(s) look again", sources.size());
        sources.requery();
    }
}
