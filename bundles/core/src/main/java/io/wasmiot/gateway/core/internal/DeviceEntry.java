package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Sighting;

/**
 * The core's working memory of one device. Guarded by its own monitor: all writes happen in
 * {@code synchronized (entry)}, so each device's story is sequential while devices proceed in
 * parallel. {@link #phase}, {@link #device} and {@link #epoch} are volatile for the store writer,
 * which reads them without the monitor.
 */
final class DeviceEntry {
    final String name;
    volatile Phase phase;
    /** The device as it is now (in the store at once or soon), or {@code null} while a new one is introduced. */
    volatile Device device;
    /** Whether this gateway holds the device's lease, as of the last lease round: only owners check. */
    boolean owned;
    /** When this core last saved or read {@link #device} whole (System.nanoTime): a store snapshot taken before is older. */
    long savedNanos = System.nanoTime();
    /** Where the device last said it is (as advertised, before pruning), to tell a move from a repeat. */
    Communication sighted;
    /** The sighting being introduced, and a newer one that arrived meanwhile. */
    Sighting introducing;
    Sighting nextSighting;
    /** Bumped whenever work in flight for this entry must be ignored when it completes. */
    volatile int epoch;
    boolean checkInFlight;
    String lastFailure;
    ScheduledFuture<?> graceTimer;
    Instant lastToldGateway = Instant.EPOCH;
    /**
     * Taken over from another gateway: the device still reports to that gateway's URL, whatever its
     * {@code Custom-Orchestrator-Set} says, so it is told this gateway's at its next check (and until told).
     */
    boolean mustTellGateway;

    DeviceEntry(String name) {
        this.name = name;
        this.phase = Phase.INTRODUCING;
    }

    static DeviceEntry listed(Device device) {
        DeviceEntry entry = new DeviceEntry(device.name());
        entry.phase = Phase.LISTED;
        entry.device = device;
        entry.sighted = device.communication();
        return entry;
    }

    /** This gateway has just taken the device's lease over from another one; call with the monitor held. */
    void takenOver() {
        mustTellGateway = true;
        lastToldGateway = Instant.EPOCH;
    }

    /** Stops the goodbye grace's timer, if one runs; call with the monitor held. */
    void cancelGrace() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
    }

    String label() {
        return device == null || device.id() == null ? name : name + " (" + device.id() + ")";
    }
}
