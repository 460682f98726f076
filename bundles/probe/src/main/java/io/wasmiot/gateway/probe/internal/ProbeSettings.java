package io.wasmiot.gateway.probe.internal;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.lib.settings.BoundedValues;

/**
 * The prober's bounds as validated values. A configuration file may hold anything, so a value
 * out of range is set to the nearest sane one (with a warning) rather than failing the component:
 * a gateway without a prober would stop discovering altogether.
 */
record ProbeSettings(Duration connectTimeout, Duration readTimeout, int maxDescriptionBytes, int maxHealthBytes,
                     int concurrency) {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeSettings.class);

    static ProbeSettings defaults() {
        return new ProbeSettings(Duration.ofMillis(2000), Duration.ofMillis(5000), 262144, 65536, 64);
    }

    static ProbeSettings from(ProbeConfig config) {
        BoundedValues values = new BoundedValues(ProbeConfig.PID);
        ProbeSettings settings = new ProbeSettings(
                Duration.ofMillis(values.within("connectTimeoutMillis", config.connectTimeoutMillis(), 1, 60_000)),
                Duration.ofMillis(values.within("readTimeoutMillis", config.readTimeoutMillis(), 1, 600_000)),
                values.within("maxDescriptionBytes", config.maxDescriptionBytes(), 2, 16 << 20),
                values.within("maxHealthBytes", config.maxHealthBytes(), 2, 16 << 20),
                values.within("concurrency", config.concurrency(), 1, 4096));
        values.warn(LOG::warn);
        return settings;
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
}
