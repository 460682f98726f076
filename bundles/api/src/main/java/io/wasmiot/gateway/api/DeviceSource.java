package io.wasmiot.gateway.api;

/** How the gateway learnt of a device. */
public enum DeviceSource {
    MDNS("mdns"),
    REGISTER("register");

    private final String wireName;

    DeviceSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeviceSource fromWireName(String wireName) {
        for (DeviceSource source : values()) {
            if (source.wireName.equals(wireName)) {
                return source;
            }
        }
        throw new IllegalArgumentException("unknown device source: " + wireName);
    }
}
