package io.wasmiot.gateway.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = CapacityConfig.PID,
        name = "WasmIoT gateway: health check 'below maxDevices'",
        description = "WARN when the devices near the discovery configuration's maxDevices; CRITICAL at it (new devices "
                + "are refused).")
@interface CapacityConfig {
    String PID = "wasmiot.gateway.health.capacity";

    @AttributeDefinition(name = "WARN at share of maxDevices", min = "0.01", max = "1",
            description = "WARN when the gateway knows at least this share (0.01-1) of maxDevices devices.")
    double warnShare() default 0.9;
}
