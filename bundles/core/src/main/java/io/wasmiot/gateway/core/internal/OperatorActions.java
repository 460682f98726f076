package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        synchronized (entry) {
            if (entry.phase == Phase.FORGOTTEN) {
                return Optional.empty();
            }
            Device device = entry.device;
            registry.forget(entry, reason);
            return Optional.ofNullable(device);
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
        // A device sighted and stored while the wipe ran is new: the wipe must not take it along.
        for (DeviceEntry entry : registry.snapshot()) {
            synchronized (entry) {
                if (entry.phase != Phase.FORGOTTEN && entry.device != null && entry.phase != Phase.INTRODUCING) {
                    try {
                        entry.device = writer.saveNow(entry.device);
                        entry.savedNanos = System.nanoTime();
                    } catch (StoreException e) {
                        LOG.warn("Device {}: cannot store it again after the wipe ({})", entry.label(),
                                e.getMessage());
                    }
                }
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
        synchronized (entry) {
            if (entry.device == null || entry.phase == Phase.FORGOTTEN) {
                return Optional.empty();
            }
            if (entry.device.blacklisted() != blacklisted) {
                Device before = entry.device;
                registry.update(entry, settings.get().rules().blacklisted(before, blacklisted, Instant.now()));
                writer.flush(); // the caller reads the list next
                LOG.info("Device {} {}", entry.label(), blacklisted ? "blacklisted" : "unblacklisted");
                if (before.status() == entry.device.status()) {
                    events.post(DeviceEventType.UPDATED, entry.device, null, blacklisted ? "blacklisted" : "unblacklisted");
                }
            }
            return Optional.of(entry.device);
        }
    }

    void rescan() {
        LOG.info("Rescan requested: {} discovery source(s) look again", sources.size());
        sources.requery();
    }
}
