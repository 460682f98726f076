package io.wasmiot.agent.internal;

/** Where a device is in its life; changed only on the device's own lifecycle executor. */
public enum DeviceState {
    /** Created, not started yet. */
    NEW,
    /** Listening and advertised. */
    UP,
    /** Listening, advertisement withdrawn for a renewal pause. */
    RENEWING,
    /** Said goodbye and closed its port. */
    GONE,
    /** Closed its port; its mDNS record stays registered (a crashed supervisor whose responder lives on). */
    VANISHED,
    /** Closed its port and dropped its mDNS records without a goodbye (a stopped python supervisor). */
    DOWN,
    /** Its fleet closed it. */
    CLOSED
}
