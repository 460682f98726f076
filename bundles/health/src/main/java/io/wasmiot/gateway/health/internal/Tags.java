package io.wasmiot.gateway.health.internal;

/**
 * The tags of the gateway's health checks ({@code /system/health?tags=...}). Every check has
 * {@link #READINESS} or {@link #LIVENESS}, the executor's default tags, so a request without tags
 * runs them all.
 */
final class Tags {
    /** Can this gateway do its work now: a load balancer's question. */
    static final String READINESS = "readiness";
    /** Is this gateway stuck: a restart is what would help. */
    static final String LIVENESS = "liveness";
    static final String DISCOVERY = "discovery";
    static final String STORE = "store";
    static final String CAPACITY = "capacity";
    /**
     * The service property every gateway check carries: the standby's check (wasmiot.gateway.standby)
     * is CRITICAL while none is registered.
     */
    static final String GATEWAY_CHECK = "wasmiot.gateway.check";

    private Tags() {
    }
}
