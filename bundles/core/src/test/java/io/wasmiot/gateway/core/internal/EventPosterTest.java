package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.Test;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.core.internal.RecordingEventAdmin.Posted;

public class EventPosterTest {
    private static final Device DEVICE = Device.introduced("dev", new Communication(List.of("10.0.0.1"), 5000), "{}",
            "mdns", Instant.now()).withId("0123456789abcdef01234567");

    private final RecordingEventAdmin admin = new RecordingEventAdmin();
    private final EventPoster poster = new EventPoster("gw-1");

    @Test
    public void aStatusChangeNamesTheDeviceBothStatusesTheReasonAndThisGateway() {
        poster.bind(admin);
        poster.post(DeviceEventType.STATUS_CHANGED, DEVICE, DeviceStatus.INACTIVE, "5 health checks succeeded");

        Posted posted = admin.events.get(0);
        assertEquals(DeviceEventType.STATUS_CHANGED, posted.type());
        assertEquals(DEVICE.id(), posted.get(DeviceEvents.DEVICE_ID));
        assertEquals("dev", posted.get(DeviceEvents.DEVICE_NAME));
        assertEquals("active", posted.get(DeviceEvents.STATUS));
        assertEquals("inactive", posted.get(DeviceEvents.PREVIOUS_STATUS));
        assertEquals("5 health checks succeeded", posted.get(DeviceEvents.REASON));
        assertEquals("gw-1", posted.get(DeviceEvents.ORIGIN));
        assertTrue(posted.get(DeviceEvents.TIMESTAMP) instanceof Long);
    }

    @Test
    public void aRemovalHasNoStatusAndOptionalPropertiesAreLeftOut() {
        poster.bind(admin);
        poster.post(DeviceEventType.REMOVED, DEVICE, null, null);

        List<String> names = List.of(admin.events.get(0).event().getPropertyNames());
        assertFalse(names.toString(), names.contains(DeviceEvents.STATUS));
        assertFalse(names.contains(DeviceEvents.PREVIOUS_STATUS));
        assertFalse(names.contains(DeviceEvents.REASON));
    }

    @Test
    public void withoutEventAdminNothingIsPostedAndUnbindingAnotherKeepsTheBoundOne() {
        poster.post(DeviceEventType.ADDED, DEVICE, null, null);
        poster.bind(admin);
        poster.unbind(new RecordingEventAdmin());
        poster.post(DeviceEventType.ADDED, DEVICE, null, null);
        poster.unbind(admin);
        poster.post(DeviceEventType.ADDED, DEVICE, null, null);

        assertEquals(1, admin.events.size());
    }
}
