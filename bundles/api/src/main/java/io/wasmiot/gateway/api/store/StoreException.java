package io.wasmiot.gateway.api.store;

/** The store could not do what was asked (database unreachable, constraint broken...). */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
