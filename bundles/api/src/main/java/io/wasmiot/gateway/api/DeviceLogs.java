package io.wasmiot.gateway.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.wasmiot.gateway.api.model.DeviceLogLine;

/**
 * The last log lines of each device, in memory, bounded (lines per device, bytes in all, devices).
 * Each line kept is also posted to EventAdmin on
 * {@link io.wasmiot.gateway.api.events.DeviceEvents#LOG_TOPIC}. A device's lines go when it is
 * forgotten. Thread safe.
 */
@ProviderType
public interface DeviceLogs {

    /** Keeps a line, dropping the device's oldest beyond the bound (and, over the byte bound, other devices' oldest). */
    void append(DeviceLogLine line);

    /** The device's kept lines, oldest first; empty for a device with none. */
    List<DeviceLogLine> recent(String deviceId);
}
