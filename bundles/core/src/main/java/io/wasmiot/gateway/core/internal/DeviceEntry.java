package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.wasmiot.gateway.api.Communication;
import io.wasmiot.gateway.api.Device;
import io.wasmiot.gateway.api.Sighting;

/**
 * The core's working memory of one device. Guarded by its own monitor: all reads and writes happen
 * in {@code synchronized (entry)}, so each device's story is sequential while devices proceed in
 * parallel.
 */
final class DeviceEntry {
    final String name;
    Phase phase;
    /** As stored, or {@code null} while a new device is being introduced. */
    Device device;
    /** Where the device last said it is (as advertised, before pruning), to tell a move from a repeat. */
    Communication sighted;
    /** The sighting being introduced, and a newer one that arrived meanwhile. */
    Sighting introducing;
    Sighting nextSighting;
    /** Bumped whenever work in flight for this entry must be ignored when it completes. */
    int epoch;
    boolean checkInFlight;
    String lastFailure;
    ScheduledFuture<?> graceTimer;
    Instant lastToldGateway = Instant.EPOCH;

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

    String label() {
        return device == null || device.id() == null ? name : name + " (" + device.id() + ")";
    }
}
