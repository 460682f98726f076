package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SlowEndpointsTest {

    @Test
    public void aTimeoutMarksAnEndpointAndAnyOtherOutcomeClearsIt() {
        SlowEndpoints endpoints = new SlowEndpoints();
        assertFalse(endpoints.isSlow("http://10.0.0.1:5000"));
        endpoints.record("http://10.0.0.1:5000", true);
        assertTrue(endpoints.isSlow("http://10.0.0.1:5000"));
        assertFalse("another port of the same host is not", endpoints.isSlow("http://10.0.0.1:5001"));
        endpoints.record("http://10.0.0.1:5000", false);
        assertFalse(endpoints.isSlow("http://10.0.0.1:5000"));
        assertEquals(0, endpoints.size());
    }

    @Test
    public void memoryIsBoundedAndTheLeastRecentlyTouchedGoesFirst() {
        SlowEndpoints endpoints = new SlowEndpoints();
        for (int i = 0; i < SlowEndpoints.MAX_REMEMBERED; i++) {
            endpoints.record("http://10.0.0.1:" + i, true);
        }
        assertTrue(endpoints.isSlow("http://10.0.0.1:0")); // touched: now the most recent
        endpoints.record("http://10.0.0.2:1", true);
        assertEquals(SlowEndpoints.MAX_REMEMBERED, endpoints.size());
        assertTrue(endpoints.isSlow("http://10.0.0.1:0"));
        assertFalse("the least recently touched was forgotten", endpoints.isSlow("http://10.0.0.1:1"));
    }

    @Test
    public void aQuarterOfTheSlotsAtMostAndNoneWhenThereIsOne() {
        assertEquals(0, HttpDeviceProber.slowSlots(1));
        assertEquals(1, HttpDeviceProber.slowSlots(2));
        assertEquals(1, HttpDeviceProber.slowSlots(7));
        assertEquals(16, HttpDeviceProber.slowSlots(64));
    }
}
