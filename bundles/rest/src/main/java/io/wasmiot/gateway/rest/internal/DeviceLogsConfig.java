package io.wasmiot.gateway.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = DeviceLogsConfig.PID, name = "WasmIoT gateway: device logs",
        description = "The log lines supervisors post to POST /device/logs: how many are kept, how fast a device may post.")
@interface DeviceLogsConfig {
    String PID = "wasmiot.gateway.devicelogs";

    @AttributeDefinition(name = "Lines kept per device", min = "1", max = "10000",
            description = "The last lines of each device; older ones are dropped.")
    int linesPerDevice() default 100;

    @AttributeDefinition(name = "Maximum line (bytes)", min = "64", max = "1048576",
            description = "A line (its logData JSON) longer than this is refused with 413. The request body's own "
                    + "bound is the REST API's maxBodyBytes.")
    int maxLineBytes() default 4096;

    @AttributeDefinition(name = "Memory for all lines (bytes)", min = "65536", max = "1073741824",
            description = "Over it, the oldest lines of the devices that posted least recently go first.")
    int maxTotalBytes() default 8388608;

    @AttributeDefinition(name = "Devices tracked", min = "1", max = "100000",
            description = "Devices whose lines and posting rate are remembered; beyond, the least recent is dropped.")
    int maxDevices() default 10000;

    @AttributeDefinition(name = "Lines per second per device", min = "0.01", max = "10000",
            description = "Sustained rate a device may post at; beyond it (and its burst), 429 with Retry-After.")
    double linesPerSecond() default 10;

    @AttributeDefinition(name = "Burst per device", min = "1", max = "100000",
            description = "Lines a device may post at once before the rate applies.")
    int burst() default 50;
}
