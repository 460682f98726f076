package io.wasmiot.gateway.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One log line a device posted to the gateway ({@code POST /device/logs}, docs/contract.md §9).
 *
 * @param deviceId the {@code _id} of the device it came from
 * @param deviceName that device's name
 * @param received when the gateway received it
 * @param data the line as the device sent it: its {@code logData}, a JSON object as compact text, kept
 *             verbatim (unknown fields included)
 */
public record DeviceLogLine(String deviceId, String deviceName, Instant received, String data) {
    public DeviceLogLine {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(data, "data");
    }
}
