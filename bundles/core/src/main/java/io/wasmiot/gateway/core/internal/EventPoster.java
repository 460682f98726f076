package io.wasmiot.gateway.core.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;

/** Posts the core's device events (docs/contract.md) to EventAdmin, when one is bound. */
final class EventPoster {
    private final String gatewayId;
    /** Optional and dynamic: without one, events are not posted. */
    private volatile EventAdmin eventAdmin;

    /** @param gatewayId this gateway, the events' origin */
    EventPoster(String gatewayId) {
        this.gatewayId = gatewayId;
    }

    void bind(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unbind(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    /** @param previous the status before a STATUS_CHANGED, else null; @param reason may be null */
    void post(DeviceEventType type, Device device, DeviceStatus previous, String reason) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(DeviceEvents.DEVICE_ID, device.id());
        properties.put(DeviceEvents.DEVICE_NAME, device.name());
        if (type != DeviceEventType.REMOVED) {
            properties.put(DeviceEvents.STATUS, device.status().wireName());
        }
        if (previous != null) {
            properties.put(DeviceEvents.PREVIOUS_STATUS, previous.wireName());
        }
        if (reason != null) {
            properties.put(DeviceEvents.REASON, reason);
        }
        properties.put(DeviceEvents.TIMESTAMP, System.currentTimeMillis());
        properties.put(DeviceEvents.ORIGIN, gatewayId);
        admin.postEvent(new Event(DeviceEvents.topic(type), properties));
    }
}
