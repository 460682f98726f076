package io.wasmiot.gateway.api.model;

/** A listed device's health status, as the reference orchestrator spells it on the wire. */
public enum DeviceStatus {
    ACTIVE("active"),
    INACTIVE("inactive");

    private final String wireName;

    DeviceStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeviceStatus fromWireName(String wireName) {
        for (DeviceStatus status : values()) {
            if (status.wireName.equals(wireName)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown device status: " + wireName);
    }
}
