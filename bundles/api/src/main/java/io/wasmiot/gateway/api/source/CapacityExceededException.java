package io.wasmiot.gateway.api.source;

/** A new device was refused because the gateway already tracks its maximum number of devices. */
public class CapacityExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CapacityExceededException(String message) {
        super(message);
    }
}
