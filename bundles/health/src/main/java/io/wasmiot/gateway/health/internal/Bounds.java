package io.wasmiot.gateway.health.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a configured threshold inside its range. ConfigAdmin takes any number from a {@code .cfg}
 * file (the metatype's bounds only guide the web console's form): a value out of range is set to the
 * nearest bound and the operator is told, rather than the check failing to start and vanishing from
 * {@code /system/health}.
 */
final class Bounds {
    private static final Logger LOG = LoggerFactory.getLogger(Bounds.class);

    private Bounds() {
    }

    static int within(String pid, String key, int value, int min, int max) {
        int bounded = Math.max(min, Math.min(max, value));
        if (bounded != value) {
            warn(pid, key, value, bounded, min, max);
        }
        return bounded;
    }

    static double within(String pid, String key, double value, double min, double max) {
        double bounded = Double.isNaN(value) ? max : Math.max(min, Math.min(max, value));
        if (bounded != value) {
            warn(pid, key, value, bounded, min, max);
        }
        return bounded;
    }

    private static void warn(String pid, String key, Object value, Object bounded, Object min, Object max) {
        LOG.warn("{}: {} {} is out of range ({}-{}); using {}", pid, key, value, min, max, bounded);
    }
}
