package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;

/** Keeps every event posted or sent, with when it came. */
final class RecordingEventAdmin implements EventAdmin {
    record Posted(Event event, long nanos) {
        DeviceEventType type() {
            return DeviceEventType.valueOf(event.getTopic().substring(DeviceEvents.TOPIC_PREFIX.length()));
        }

        Object get(String property) {
            return event.getProperty(property);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(type().name()).append('{');
            for (String key : event.getPropertyNames()) {
                if (!key.equals("event.topics") && !key.equals(DeviceEvents.TIMESTAMP)) {
                    text.append(key).append('=').append(event.getProperty(key)).append(' ');
                }
            }
            return text.append('}').toString();
        }
    }

    final List<Posted> events = new CopyOnWriteArrayList<>();

    @Override
    public void postEvent(Event event) {
        events.add(new Posted(event, System.nanoTime()));
    }

    @Override
    public void sendEvent(Event event) {
        postEvent(event);
    }

    List<Posted> of(DeviceEventType type) {
        return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
    }

    List<Posted> of(DeviceEventType type, String name) {
        return events.stream().filter(e -> e.type() == type && name.equals(e.get(DeviceEvents.DEVICE_NAME)))
                .collect(Collectors.toList());
    }
}
