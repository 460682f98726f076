package io.wasmiot.agent.internal;

/** A lifecycle request that does not fit the device's state (e.g. "return" while it is up). */
public final class DeviceStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DeviceStateException(String message) {
        super(message);
    }
}
