package io.wasmiot.gateway.api.events;

/**
 * EventAdmin topics and properties of device lifecycle events. Posted by the discovery core,
 * consumed by REST (server-sent events), metrics and anyone else.
 */
public final class DeviceEvents {
    /** Topic prefix; the event type follows it: {@code wasmiot/gateway/device/ADDED}. */
    public static final String TOPIC_PREFIX = "wasmiot/gateway/device/";
    public static final String TOPIC_ALL = TOPIC_PREFIX + "*";

    public static final String DEVICE_ID = "deviceId";
    public static final String DEVICE_NAME = "name";
    /** The status after the event, wire spelling; absent for REMOVED. */
    public static final String STATUS = "status";
    /** The status before a STATUS_CHANGED event, wire spelling. */
    public static final String PREVIOUS_STATUS = "previousStatus";
    public static final String REASON = "reason";
    /** Epoch milliseconds. */
    public static final String TIMESTAMP = "timestamp";
    /**
     * The {@link io.wasmiot.gateway.api.cluster.DeviceLeases#gatewayId()} of the gateway whose core
     * decided the event. Set on every event; an event relayed from another gateway sharing the store
     * carries that gateway's id.
     */
    public static final String ORIGIN = "origin";

    /**
     * Topic of a log line a device posted ({@link io.wasmiot.gateway.api.DeviceLogs}): properties
     * {@link #DEVICE_ID}, {@link #DEVICE_NAME}, {@link #TIMESTAMP} (when received) and
     * {@link #LOG_DATA}. Deliberately outside {@link #TOPIC_PREFIX}: handlers of the lifecycle events
     * (the relay between gateways sharing a database among them) do not get the log lines.
     */
    public static final String LOG_TOPIC = "wasmiot/gateway/devicelog/LOG";
    /** The line as the device sent it: a JSON object as text. */
    public static final String LOG_DATA = "logData";

    private DeviceEvents() {
    }

    public static String topic(DeviceEventType type) {
        return TOPIC_PREFIX + type.name();
    }
}
