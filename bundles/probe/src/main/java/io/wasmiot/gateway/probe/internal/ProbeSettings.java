package io.wasmiot.gateway.probe.internal;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prober's bounds as validated values. A configuration file may hold anything, so values
 * out of range are raised to the smallest sane one (with a warning) rather than failing the
 * component: a gateway without a prober would stop discovering altogether.
 */
record ProbeSettings(Duration connectTimeout, Duration readTimeout, int maxDescriptionBytes, int maxHealthBytes,
                     int concurrency) {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeSettings.class);

    static ProbeSettings defaults() {
        return new ProbeSettings(Duration.ofMillis(2000), Duration.ofMillis(5000), 262144, 65536, 64);
    }

    static ProbeSettings from(ProbeConfig config) {
        return new ProbeSettings(
                Duration.ofMillis(atLeast("connectTimeoutMillis", config.connectTimeoutMillis(), 1)),
                Duration.ofMillis(atLeast("readTimeoutMillis", config.readTimeoutMillis(), 1)),
                (int) atLeast("maxDescriptionBytes", config.maxDescriptionBytes(), 2),
                (int) atLeast("maxHealthBytes", config.maxHealthBytes(), 2),
                (int) atLeast("concurrency", config.concurrency(), 1));
    }

    ProbeSettings {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                || maxDescriptionBytes < 2 || maxHealthBytes < 2 || concurrency < 1) {
            throw new IllegalArgumentException("probe settings out of range: " + connectTimeout + ", " + readTimeout
                    + ", " + maxDescriptionBytes + ", " + maxHealthBytes + ", " + concurrency);
        }
    }

    long readTimeoutMillis() {
        return readTimeout.toMillis();
    }

    long connectTimeoutMillis() {
        return connectTimeout.toMillis();
    }

    private static long atLeast(String key, long value, long minimum) {
        if (value < minimum) {
            LOG.warn("{} = {} is below {}; using {}", key, value, minimum, minimum);
            return minimum;
        }
        return value;
    }
}
