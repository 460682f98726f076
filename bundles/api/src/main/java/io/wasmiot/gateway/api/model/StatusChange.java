package io.wasmiot.gateway.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a device's status log.
 *
 * @param reason why the status changed, or {@code null} when the counters alone explain it
 */
public record StatusChange(DeviceStatus status, Instant time, String reason) {
    public StatusChange {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(time, "time");
    }
}
