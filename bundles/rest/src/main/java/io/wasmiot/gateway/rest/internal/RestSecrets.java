package io.wasmiot.gateway.rest.internal;

import java.util.Map;

import org.slf4j.Logger;

import io.wasmiot.lib.settings.BoundedValues;
import io.wasmiot.lib.settings.Secrets;

/**
 * The REST PID's values as used: the API token, from its private key ({@code .apiToken}) or, with
 * a warning, from the old one; the body bound, within its range; the warning for a key that moved.
 */
final class RestSecrets {
    private RestSecrets() {
    }

    /** The token to use: {@code .apiToken}, else the old {@code apiToken} (logged: it is published). */
    static String apiToken(RestConfig config, Map<String, ?> properties, Logger log) {
        return Secrets.secret(RestConfig.PID, "apiToken", config._apiToken(), properties, log::warn);
    }

    /** {@code publicBaseUrl} belongs to the discovery core's PID now: a value left here is named, not used. */
    static void warnOfMovedKeys(RestConfig config, Logger log) {
        if (!config.publicBaseUrl().isBlank()) {
            log.warn("{}: publicBaseUrl={} is no longer read here; the devices are told the discovery core's "
                    + "publicBaseUrl: move the line to wasmiot.gateway.discovery (conf/wasmiot.gateway.discovery.cfg)",
                    RestConfig.PID, config.publicBaseUrl());
        }
    }

    /** {@code maxBodyBytes} within 1 KiB to 16 MiB: below, a register body does not fit; above, one request could fill the heap. */
    static int maxBodyBytes(RestConfig config, Logger log) {
        BoundedValues values = new BoundedValues(RestConfig.PID);
        int bounded = values.within("maxBodyBytes", config.maxBodyBytes(), 1024, 16 << 20);
        values.warn(log::warn);
        return bounded;
    }
}
