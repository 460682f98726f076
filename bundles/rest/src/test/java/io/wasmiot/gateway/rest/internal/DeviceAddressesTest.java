package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import io.wasmiot.gateway.api.store.StoreException;

public class DeviceAddressesTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbb";
    private final AtomicLong now = new AtomicLong(100 * SECOND);
    private final ListedDevices store = new ListedDevices();
    private final DeviceAddresses addresses = new DeviceAddresses(now::get);

    @Test
    public void devicesAreFoundByAnyOfTheirAddressesInAnySpelling() {
        store.add(A, "pi4", "192.168.1.23", "fe80::1%eth0");
        store.add(B, "sim", "2001:db8::7");
        assertEquals(List.of(new DeviceAddresses.Listed(A, "pi4")), addresses.at("192.168.1.23", store));
        assertEquals(List.of(new DeviceAddresses.Listed(A, "pi4")), addresses.at("::ffff:192.168.1.23", store));
        assertEquals(List.of(new DeviceAddresses.Listed(A, "pi4")), addresses.at("fe80:0:0:0:0:0:0:1%2", store));
        assertEquals(List.of(new DeviceAddresses.Listed(B, "sim")), addresses.at("[2001:DB8:0::7]", store));
        assertEquals(List.of(), addresses.at("10.9.9.9", store));
    }

    @Test
    public void devicesSharingAnAddressAreAllThere() {
        store.add(A, "sim-1", "127.0.0.1");
        store.add(B, "sim-2", "127.0.0.1");
        assertEquals(2, addresses.at("127.0.0.1", store).size());
    }

    @Test
    public void theStoreIsReadAgainOnAMissASecondLaterAndWhenTheIndexIsOld() {
        store.add(A, "pi4", "10.0.0.1");
        addresses.at("10.0.0.1", store);
        assertEquals(1, store.reads.get());
        store.add(B, "moved", "10.0.0.2");
        assertEquals("a hit does not read", 1, addresses.at("10.0.0.1", store).size());
        assertEquals("a miss within the second does not read", List.of(), addresses.at("10.0.0.2", store));
        assertEquals(1, store.reads.get());
        now.addAndGet(SECOND + 1);
        assertEquals("a miss a second later reads", 1, addresses.at("10.0.0.2", store).size());
        assertEquals(2, store.reads.get());
        store.devices.clear();
        now.addAndGet(DeviceAddresses.MAX_AGE_SECONDS * SECOND + 1);
        assertEquals("an old index is read again even on a hit", List.of(), addresses.at("10.0.0.1", store));
        assertEquals(3, store.reads.get());
    }

    @Test
    public void aStoreFailureReachesTheCaller() {
        store.failing = true;
        assertThrows(StoreException.class, () -> addresses.at("10.0.0.1", store));
    }

    @Test
    public void namesAreNeverLookedUp() {
        assertEquals("1.2.3.999", DeviceAddresses.canonical("1.2.3.999"));
        assertEquals("cafe", DeviceAddresses.canonical("CAFE"));
        assertEquals("10.0.0.1", DeviceAddresses.canonical(" 10.0.0.1 "));
    }
}
