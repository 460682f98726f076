package io.wasmiot.gateway.rest.internal;

import java.util.Map;

import org.slf4j.Logger;

/**
 * The API token, from its private key ({@code .apiToken}) or, with a warning, from the old one; and
 * the warning for a key that moved to another PID.
 */
final class RestSecrets {
    private RestSecrets() {
    }

    /** The token to use: {@code .apiToken}, else the old {@code apiToken} (logged: it is published). */
    static String apiToken(RestConfig config, Map<String, ?> properties, Logger log) {
        Object old = properties.get("apiToken");
        String legacy = old instanceof String text ? text : "";
        if (!legacy.isEmpty()) {
            log.warn("{}: the key 'apiToken' is published as a service property, visible to every bundle and on "
                    + "the web console's services page; rename it '.apiToken' (with the dot)", RestConfig.PID);
        }
        return config._apiToken().isEmpty() ? legacy : config._apiToken();
    }

    /** {@code publicBaseUrl} belongs to the discovery core's PID now: a value left here is named, not used. */
    static void warnOfMovedKeys(RestConfig config, Logger log) {
        if (!config.publicBaseUrl().isBlank()) {
            log.warn("{}: publicBaseUrl={} is no longer read here; the devices are told the discovery core's "
                    + "publicBaseUrl: move the line to wasmiot.gateway.discovery (conf/wasmiot.gateway.discovery.cfg)",
                    RestConfig.PID, config.publicBaseUrl());
        }
    }
}
