package io.wasmiot.gateway.api.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.junit.Test;

public class DeviceTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    public void statusLogIsNewestFirstAndBounded() {
        Device device = Device.introduced("d1", new Communication(List.of("127.0.0.1"), 5000), "{}",
                "mdns", T0);
        for (int i = 1; i <= 5; i++) {
            DeviceStatus next = i % 2 == 1 ? DeviceStatus.INACTIVE : DeviceStatus.ACTIVE;
            device = device.withStatus(new StatusChange(next, T0.plusSeconds(i), null), 3);
        }
        assertEquals(3, device.statusLog().size());
        assertEquals(T0.plusSeconds(5), device.statusLog().get(0).time());
        assertEquals(T0.plusSeconds(3), device.statusLog().get(2).time());
        assertEquals(DeviceStatus.INACTIVE, device.status());
    }

    @Test
    public void idMustBe24LowercaseHex() {
        assertTrue(Device.isValidId("66a1f0c2e4b0a1b2c3d4e5f6"));
        assertFalse(Device.isValidId("66A1F0C2E4B0A1B2C3D4E5F6"));
        assertFalse(Device.isValidId("66a1f0c2e4b0a1b2c3d4e5f"));
        assertFalse(Device.isValidId("my-device"));
    }

    @Test
    public void communicationRejectsBadPortsAndTooManyAddresses() {
        assertThrows(IllegalArgumentException.class, () -> new Communication(List.of("127.0.0.1"), 0));
        assertThrows(IllegalArgumentException.class, () -> new Communication(List.of("127.0.0.1"), 65536));
        assertThrows(IllegalArgumentException.class, () -> new Communication(List.of(), 80));
        assertThrows(IllegalArgumentException.class,
                () -> new Communication(Collections.nCopies(17, "127.0.0.1"), 80));
        assertEquals("https", new Communication(List.of("::1"), 443, true, null).scheme());
    }

    @Test
    public void sightingRejectsNamesWithControlCharacters() {
        Communication at = new Communication(List.of("127.0.0.1"), 5000);
        assertThrows(IllegalArgumentException.class,
                () -> new Sighting("evil\nname", at, "mdns", T0));
        assertThrows(IllegalArgumentException.class, () -> new Sighting(" ", at, "mdns", T0));
        assertEquals("ok", new Sighting("ok", at, "register", T0).name());
    }
}
