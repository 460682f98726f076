package io.wasmiot.gateway.mdns.transport.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class CheckedTransportConfigTest {
    private static TransportConfig raw(String selfName, int interfaceCheckSeconds, int receiveBufferBytes) {
        return new CheckedTransportConfig(new String[] {"eth0"}, true, selfName, interfaceCheckSeconds, receiveBufferBytes);
    }

    @Test
    public void valuesOutOfRangeGoToTheNearestBoundWithOneWarning() {
        List<String> warnings = new ArrayList<>();
        TransportConfig checked = CheckedTransportConfig.of(raw("gw", 0, 1024), warnings::add);
        assertEquals(1, checked.interfaceCheckSeconds());
        assertEquals(65_536, checked.receiveBufferBytes());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("wasmiot.gateway.mdns: "));
        assertTrue(warnings.get(0), warnings.get(0).contains("interfaceCheckSeconds 0 -> 1 (1-3600)"));
        assertTrue(warnings.get(0), warnings.get(0).contains("receiveBufferBytes 1024 -> 65536"));
        assertEquals(3600, CheckedTransportConfig.of(raw("gw", 86_400, 1 << 30), warnings::add).interfaceCheckSeconds());
    }

    @Test
    public void aSelfNameThatCannotBeAdvertisedIsTheDefault() {
        for (String bad : new String[] {"", "   ", "x".repeat(51)}) {
            List<String> warnings = new ArrayList<>();
            TransportConfig checked = CheckedTransportConfig.of(raw(bad, 10, 1 << 20), warnings::add);
            assertEquals("orchestrator", checked.selfName());
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0), warnings.get(0).contains("selfName"));
        }
    }

    @Test
    public void goodValuesAreKeptWithoutAWord() {
        List<String> warnings = new ArrayList<>();
        TransportConfig checked = CheckedTransportConfig.of(raw("gateway-1", 10, 4 << 20), warnings::add);
        assertEquals("gateway-1", checked.selfName());
        assertEquals(10, checked.interfaceCheckSeconds());
        assertArrayEquals(new String[] {"eth0"}, checked.interfaces());
        assertEquals(List.of(), warnings);
    }
}
