package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;
import java.time.Duration;

import org.junit.Test;

public class ProbeSettingsTest {
    private static ProbeConfig config(long connect, long read, int description, int health, int concurrency) {
        return new ProbeConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ProbeConfig.class;
            }

            @Override
            public long connectTimeoutMillis() {
                return connect;
            }

            @Override
            public long readTimeoutMillis() {
                return read;
            }

            @Override
            public int maxDescriptionBytes() {
                return description;
            }

            @Override
            public int maxHealthBytes() {
                return health;
            }

            @Override
            public int concurrency() {
                return concurrency;
            }
        };
    }

    @Test
    public void valuesBelowTheirRangeAreRaised() {
        ProbeSettings settings = ProbeSettings.from(config(0, -5, 0, 1, 0));
        assertEquals(Duration.ofMillis(1), settings.connectTimeout());
        assertEquals(Duration.ofMillis(1), settings.readTimeout());
        assertEquals(2, settings.maxDescriptionBytes());
        assertEquals(2, settings.maxHealthBytes());
        assertEquals(1, settings.concurrency());
    }

    @Test
    public void valuesAboveTheirRangeAreLowered() {
        ProbeSettings settings = ProbeSettings.from(config(Long.MAX_VALUE, 86_400_000, Integer.MAX_VALUE,
                Integer.MAX_VALUE, 1_000_000));
        assertEquals(Duration.ofMinutes(1), settings.connectTimeout());
        assertEquals(Duration.ofMinutes(10), settings.readTimeout());
        assertEquals(16 << 20, settings.maxDescriptionBytes());
        assertEquals(16 << 20, settings.maxHealthBytes());
        assertEquals(4096, settings.concurrency());
    }

    @Test
    public void theDefaultsAreKept() {
        assertEquals(ProbeSettings.defaults(), ProbeSettings.from(config(2000, 5000, 262144, 65536, 64)));
    }
}
