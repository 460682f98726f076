package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.ProbeResult;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * Introduces a sighted device (docs/contract.md §3): queries its description in rounds with a backoff,
 * stores it (with others introduced meanwhile), lists it and has it checked at once. Every step runs
 * with the entry's monitor held and is ignored when the entry's epoch has moved on.
 */
final class Introducer {
    private static final Logger LOG = CoreLog.LOG;

    private final DeviceRegistry registry;
    private final ProberSlot prober;
    private final HealthChecker checker;
    private final StoreWriter writer;
    private final EventPoster events;
    private final CoreMetrics metrics;
    private final CoreThreads threads;
    private final Supplier<CoreSettings> settings;

    Introducer(DeviceRegistry registry, ProberSlot prober, HealthChecker checker, StoreWriter writer,
               EventPoster events, CoreMetrics metrics, CoreThreads threads, Supplier<CoreSettings> settings) {
        this.registry = registry;
        this.prober = prober;
        this.checker = checker;
        this.writer = writer;
        this.events = events;
        this.metrics = metrics;
        this.threads = threads;
        this.settings = settings;
    }

    /** Starts introducing {@code sighting}, dropping any introduction in flight; call with the entry's monitor held. */
    void start(DeviceEntry entry, Sighting sighting) {
        entry.phase = Phase.INTRODUCING;
        entry.introducing = sighting;
        entry.nextSighting = null;
        entry.epoch++;
        describe(entry, entry.epoch, sighting, 1);
    }

    private void describe(DeviceEntry entry, int epoch, Sighting sighting, int round) {
        DeviceProber current = prober.current();
        if (current == null) {
            awaitProber(entry, epoch, sighting, round, null); // none yet, or it is being updated
            return;
        }
        metrics.descriptionQueried();
        current.describe(sighting.communication()).whenCompleteAsync(
                (result, error) -> described(entry, epoch, sighting, round, current, result, error), threads.work());
    }

    /**
     * The same round again with a prober other than {@code stopped}: the one bound now, or the next to
     * bind. A prober being replaced costs no round. Call with the entry's monitor held.
     */
    private void awaitProber(DeviceEntry entry, int epoch, Sighting sighting, int round, DeviceProber stopped) {
        prober.await(entry, () -> describeAgain(entry, epoch, sighting, round), stopped);
    }

    /** A round that was waiting (for a prober, a backoff, the store): unless the entry moved on meanwhile. */
    private void describeAgain(DeviceEntry entry, int epoch, Sighting sighting, int round) {
        synchronized (entry) {
            if (entry.epoch == epoch) {
                describe(entry, epoch, sighting, round);
            }
        }
    }

    private void described(DeviceEntry entry, int epoch, Sighting sighting, int round, DeviceProber asked,
                           ProbeResult result, Throwable error) {
        synchronized (entry) {
            if (entry.epoch != epoch || threads.stopped()) {
                return;
            }
            String failure = error != null ? error.toString() : result.failure();
            if (failure == null) {
                introduced(entry, sighting, result);
                return;
            }
            if (ProberSlot.PROBER_STOPPED.equals(failure)) {
                awaitProber(entry, epoch, sighting, round, asked); // it is being replaced: no round lost
                return;
            }
            metrics.descriptionFailed();
            DiscoveryConfig config = settings.get().config();
            if (round < config.introductionRounds()) {
                long backoff = (long) config.introductionBackoffMillis() << (round - 1);
                LOG.info("Device {}: description query round {} failed ({}); next round in {} ms", entry.label(),
                        round, failure, backoff);
                threads.schedule(() -> describeAgain(entry, epoch, sighting, round + 1), backoff);
                return;
            }
            if (entry.nextSighting != null) {
                start(entry, entry.nextSighting);
                return;
            }
            registry.forget(entry, "description query failed " + round + " times: " + failure);
        }
    }

    /** The description answered: the device is stored (with others introduced meanwhile), then listed. */
    private void introduced(DeviceEntry entry, Sighting sighting, ProbeResult result) {
        Instant now = Instant.now();
        var communication = HealthRules.workingFirst(sighting.communication(), result.address(),
                result.failedAddresses());
        boolean isNew = entry.device == null;
        Device device = isNew
                ? Device.introduced(entry.name, communication, result.body(), sighting.source(), now)
                : entry.device.withCommunication(communication).withDescription(result.body()).withLastSeen(now);
        int epoch = entry.epoch;
        writer.saveSoon(entry, epoch, device,
                (stored, failure) -> introductionStored(entry, epoch, sighting, isNew, stored, failure));
    }

    private void introductionStored(DeviceEntry entry, int epoch, Sighting sighting, boolean isNew, Device stored,
                                    StoreException failure) {
        synchronized (entry) {
            if (entry.epoch != epoch || threads.stopped()) {
                if (stored != null && isNew && entry.phase == Phase.FORGOTTEN && !registry.contains(entry.name)) {
                    // Forgotten (a goodbye) while its first save was being written: the row goes too.
                    writer.deleteSoon(stored.id()).exceptionally(e -> {
                        LOG.warn("Device {}: cannot delete it from the store ({})", entry.name, e.getMessage());
                        return false;
                    });
                }
                return;
            }
            if (failure != null) {
                int healthInterval = settings.get().config().healthInterval();
                LOG.warn("Device {}: cannot store it ({}); trying again in {} s", entry.label(), failure.getMessage(),
                        healthInterval);
                threads.schedule(() -> describeAgain(entry, epoch, sighting, 1), healthInterval * 1000L);
                return;
            }
            entry.device = stored;
            entry.savedNanos = System.nanoTime();
            entry.sighted = sighting.communication();
            entry.introducing = null;
            if (entry.phase != Phase.LEAVING) {
                entry.phase = Phase.LISTED;
            }
            LOG.info("Device {} {} at {} port {}", entry.label(), isNew ? "introduced and listed" : "updated",
                    stored.communication().addresses(), stored.communication().port());
            events.post(isNew ? DeviceEventType.ADDED : DeviceEventType.UPDATED, entry.device, null, null);
            if (entry.nextSighting != null && !HealthRules.samePlace(entry.sighted, entry.nextSighting.communication())) {
                start(entry, entry.nextSighting);
                return;
            }
            entry.nextSighting = null;
            if (entry.phase == Phase.LISTED) {
                checker.checkIntroduced(entry);
            }
        }
    }
}
