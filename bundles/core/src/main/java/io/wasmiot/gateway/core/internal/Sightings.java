package io.wasmiot.gateway.core.internal;

import java.util.function.Supplier;

import org.slf4j.Logger;

import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;

/**
 * What the discovery sources report: a sighting introduces a new device, a moved one or one back
 * after a restart; a goodbye forgets a device unless it is back within the grace.
 */
final class Sightings {
    private static final Logger LOG = CoreLog.LOG;

    private final DeviceRegistry registry;
    private final Introducer introducer;
    private final CoreThreads threads;
    private final Supplier<CoreSettings> settings;

    Sightings(DeviceRegistry registry, Introducer introducer, CoreThreads threads, Supplier<CoreSettings> settings) {
        this.registry = registry;
        this.introducer = introducer;
        this.threads = threads;
        this.settings = settings;
    }

    /** @throws CapacityExceededException a new device when the gateway is full */
    void sighted(Sighting sighting) {
        if (threads.stopped()) {
            throw new IllegalStateException("discovery core stopped");
        }
        while (true) {
            DeviceEntry entry = registry.get(sighting.name());
            if (entry == null) {
                int maxDevices = settings.get().config().maxDevices();
                if (registry.size() >= maxDevices) {
                    LOG.warn("Device {} skipped: the gateway already tracks its maximum of {} devices",
                            sighting.name(), maxDevices);
                    throw new CapacityExceededException("the gateway already tracks its maximum of "
                            + maxDevices + " devices");
                }
                DeviceEntry fresh = new DeviceEntry(sighting.name());
                entry = registry.putIfAbsent(fresh);
                if (entry == null) {
                    synchronized (fresh) {
                        LOG.info("Device {} sighted ({}) at {} port {}: introducing", fresh.name,
                                sighting.source(), sighting.communication().addresses(),
                                sighting.communication().port());
                        introducer.start(fresh, sighting);
                    }
                    return;
                }
            }
            synchronized (entry) {
                if (entry.phase == Phase.FORGOTTEN) {
                    continue; // forgotten meanwhile: start over with a fresh entry
                }
                sightedKnown(entry, sighting);
                return;
            }
        }
    }

    private void sightedKnown(DeviceEntry entry, Sighting sighting) {
        if (entry.phase == Phase.LEAVING) {
            entry.cancelGrace();
            entry.phase = entry.introducing != null ? Phase.INTRODUCING : Phase.LISTED;
            LOG.info("Device {} is back within the goodbye grace: kept", entry.label());
        }
        if (entry.phase == Phase.INTRODUCING) {
            if (!HealthRules.samePlace(entry.introducing.communication(), sighting.communication())) {
                entry.nextSighting = sighting; // introduced once the running introduction ends
            }
            return;
        }
        if (HealthRules.samePlace(entry.sighted, sighting.communication())) {
            if (entry.device != null && entry.device.status() == DeviceStatus.INACTIVE && !entry.device.blacklisted()) {
                // A restart (or a return after its records expired) at the same place: it need not
                // wait out successesBeforeActive sweeps if it answers now.
                LOG.info("Device {} announced itself again while inactive: introducing again", entry.label());
                introducer.start(entry, sighting);
            }
            return; // the same device at the same place
        }
        LOG.info("Device {} moved: {} port {} -> {} port {}: introducing again", entry.label(),
                entry.sighted.addresses(), entry.sighted.port(), sighting.communication().addresses(),
                sighting.communication().port());
        introducer.start(entry, sighting);
    }

    /** {@code reason} is the source's own words ("mDNS goodbye"). */
    void goodbye(String name, String reason) {
        DeviceEntry entry = registry.get(name);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (entry.phase == Phase.FORGOTTEN || entry.phase == Phase.LEAVING) {
                return;
            }
            if (entry.device == null) {
                registry.forget(entry, "said goodbye before its introduction ended");
                return;
            }
            int grace = settings.get().config().goodbyeGrace();
            if (grace <= 0) {
                registry.forget(entry, reason);
                return;
            }
            entry.phase = Phase.LEAVING;
            LOG.info("Device {} said goodbye: forgotten unless it is back within {} s", entry.label(), grace);
            entry.graceTimer = threads.schedule(() -> graceExpired(entry, reason), grace * 1000L);
        }
    }

    private void graceExpired(DeviceEntry entry, String reason) {
        synchronized (entry) {
            if (entry.phase == Phase.LEAVING) {
                registry.forget(entry, reason + ", not back within " + settings.get().config().goodbyeGrace() + " s");
            }
        }
    }
}
