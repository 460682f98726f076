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

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;

import io.wasmiot.gateway.api.DiscoveryControl;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * What an operator asks of the core (REST, console, shell): forget, blacklist, rescan. Its questions
 * to the sources go through the {@link SourceIntake} when one is bound.
 */
@Component(service = DiscoveryControl.class)
public class OperatorActions implements DiscoveryControl {
    private static final Logger LOG = CoreLog.LOG;
    /** How long an operator's request waits for the store to take its change. */
    private static final long STORE_WAIT_SECONDS = 10;

    private final DeviceRegistry registry;
    private final StoreWriter writer;
    private final EventPoster events;
    private final CoreMetrics metrics;
    private final Supplier<CoreSettings> settings;
    private volatile SourceIntake intake;

    @Activate
    public OperatorActions(@Reference DeviceBook book) {
        this.registry = book.registry();
        this.writer = book.writer();
        this.events = book.events();
        this.metrics = book.metrics();
        this.settings = book::settings;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setIntake(SourceIntake newIntake) {
        this.intake = newIntake;
    }

    void unsetIntake(SourceIntake oldIntake) {
        if (this.intake == oldIntake) {
            this.intake = null;
        }
    }

    @Override
    public Optional<Device> forget(String idOrName, String reason) {
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

    @Override
    public int forgetAll(String reason) {
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
        SourceIntake sources = intake;
        if (sources != null) {
            sources.forgetSightings();
        }
        return deleted;
    }

    @Override
    public Optional<Device> setBlacklisted(String idOrName, boolean blacklisted) {
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

    @Override
    public void rescan() {
        SourceIntake sources = intake;
        if (sources == null) {
            LOG.info("Rescan requested: no discovery source open");
            return;
        }
        LOG.info("Rescan requested: {} discovery source(s) look again", sources.size());
        sources.requery();
    }
}
