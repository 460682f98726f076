package io.wasmiot.gateway.api;

/** What happened to a device. */
public enum DeviceEventType {
    ADDED,
    UPDATED,
    STATUS_CHANGED,
    REMOVED
}
