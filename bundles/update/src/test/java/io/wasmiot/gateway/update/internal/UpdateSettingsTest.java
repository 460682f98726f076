package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class UpdateSettingsTest {
    private static UpdateConfig config(Map<String, Object> values) {
        return (UpdateConfig) Proxy.newProxyInstance(UpdateConfig.class.getClassLoader(), new Class<?>[] {UpdateConfig.class},
                (self, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
    }

    @Test
    public void valuesOutOfRangeGoToTheirBoundsWithOneWarningAndTheTokenIsNeverShown() {
        List<String> warnings = new ArrayList<>();
        UpdateSettings settings = UpdateSettings.of(config(Map.of("gateSeconds", 0, "maxDevicesLost", -3,
                "maxJarBytes", 1L << 40, "_apiToken", " s3cret ", "trustStore", "trust.p12",
                "_trustStorePassword", "storepass")), Path.of("/opt/gw/conf"), warnings::add);
        assertEquals(Duration.ofSeconds(1), settings.gate());
        assertEquals(0, settings.maxDevicesLost());
        assertEquals(256L << 20, settings.maxJarBytes());
        assertEquals("s3cret", settings.apiToken());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("gateSeconds 0 -> 1 (1-600)"));
        assertEquals(Path.of("/opt/gw/conf/trust.p12"), settings.trustStore());
        assertFalse(settings.toString(), settings.toString().contains("s3cret") || settings.toString().contains("storepass"));
    }

    @Test
    public void theDefaultsAreInRange() {
        List<String> warnings = new ArrayList<>();
        UpdateSettings settings = UpdateSettings.of(config(Map.of()), Path.of("conf"), warnings::add);
        assertEquals(Duration.ofSeconds(30), settings.gate());
        assertEquals(32L << 20, settings.maxJarBytes());
        assertEquals(1L << 20, settings.journalMaxBytes());
        assertEquals("", settings.apiToken());
        assertEquals("no signature check by default", null, settings.trustStore());
        assertEquals(List.of(), warnings);
    }
}
