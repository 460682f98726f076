package io.wasmiot.gateway.core.internal;

/**
 * The one key of the REST PID ({@code wasmiot.gateway.rest}) the core needs: where devices reach
 * the gateway. Declared in the REST bundle's metatype; read here too.
 */
@interface GatewayAddressConfig {
    String publicBaseUrl() default "";
}
