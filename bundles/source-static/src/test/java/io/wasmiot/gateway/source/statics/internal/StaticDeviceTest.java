package io.wasmiot.gateway.source.statics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class StaticDeviceTest {

    /** A typed configuration as SCR makes it: the given values, else the annotation's defaults. */
    static StaticDeviceConfig config(String name, String address, int port, boolean tls) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("name", name);
        values.put("address", address);
        values.put("port", port);
        values.put("tls", tls);
        return (StaticDeviceConfig) Proxy.newProxyInstance(StaticDeviceTest.class.getClassLoader(),
                new Class<?>[] {StaticDeviceConfig.class}, (proxy, method, args) -> values.get(method.getName()));
    }

    @Test
    public void aGoodConfigurationIsADeviceAtItsAddress() {
        StaticDevice device = StaticDevice.of("pid-1", config(" plc-7 ", "192.168.10.7", 8080, true));
        assertEquals("plc-7", device.name());
        assertEquals(List.of("192.168.10.7"), device.communication().addresses());
        assertEquals(8080, device.communication().port());
        assertTrue(device.communication().tls());
        assertEquals("pid-1", device.pid());

        assertEquals(List.of("fd00::7"), StaticDevice.of("p", config("v6", "[fd00::7]", 5000, false))
                .communication().addresses());
    }

    @Test
    public void aBadConfigurationIsRefusedWithTheReason() {
        assertRefused("name is missing", config(null, "10.0.0.1", 5000, false));
        assertRefused("name is missing", config("  ", "10.0.0.1", 5000, false));
        assertRefused("without control characters", config("a\nb", "10.0.0.1", 5000, false));
        assertRefused("is not an IP address", config("d", null, 5000, false));
        assertRefused("is not an IP address", config("d", "plc.example.com", 5000, false));
        assertRefused("is not an IP address", config("d", "999.1.1.1", 5000, false));
        assertRefused("is not an IP address", config("d", "fd00:::zz", 5000, false));
        assertRefused("cannot be a device's", config("d", "0.0.0.0", 5000, false));
        assertRefused("cannot be a device's", config("d", "224.0.0.251", 5000, false));
        assertRefused("cannot be a device's", config("d", "255.255.255.255", 5000, false));
        assertRefused("port 0 is outside 1-65535", config("d", "10.0.0.1", 0, false));
        assertRefused("port 65536 is outside 1-65535", config("d", "10.0.0.1", 65536, false));
    }

    private static void assertRefused(String reason, StaticDeviceConfig config) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> StaticDevice.of("pid", config));
        assertTrue(refused.getMessage(), refused.getMessage().contains(reason));
    }
}
