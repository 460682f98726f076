package io.wasmiot.gateway.core.internal;

/** Where a device is in its life at this gateway. */
enum Phase {
    /** Sighted; its description is being queried. Listed already when it is an update of a listed device. */
    INTRODUCING,
    /** Listed and health-checked. */
    LISTED,
    /** Said goodbye; forgotten unless it is sighted again within the grace. */
    LEAVING,
    /** Gone: any work still running for it is ignored. */
    FORGOTTEN
}
