package io.wasmiot.gateway.api.events;

/** What happened to a device. */
public enum DeviceEventType {
    ADDED,
    UPDATED,
    STATUS_CHANGED,
    REMOVED
}
