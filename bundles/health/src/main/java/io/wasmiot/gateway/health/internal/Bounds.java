package io.wasmiot.gateway.health.internal;

import io.wasmiot.lib.settings.BoundedValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a configured threshold inside its range, with the gateway's one helper for that
 * ({@link BoundedValues}). ConfigAdmin takes any number from a {@code .cfg} file (the metatype's
 * bounds only guide the web console's form): a value out of range is set to the nearest bound and
 * the operator is told, rather than the check failing to start and vanishing from
 * {@code /system/health}.
 */
final class Bounds {
    private static final Logger LOG = LoggerFactory.getLogger(Bounds.class);

    private Bounds() {
    }

    static int within(String pid, String key, int value, int min, int max) {
        BoundedValues values = new BoundedValues(pid);
        int bounded = values.within(key, value, min, max);
        values.warn(LOG::warn);
        return bounded;
    }

    static double within(String pid, String key, double value, double min, double max) {
        BoundedValues values = new BoundedValues(pid);
        double bounded = values.within(key, value, min, max);
        values.warn(LOG::warn);
        return bounded;
    }
}
