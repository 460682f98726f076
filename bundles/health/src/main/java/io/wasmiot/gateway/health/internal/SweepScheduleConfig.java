package io.wasmiot.gateway.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = SweepScheduleConfig.PID,
        name = "WasmIoT gateway: health check 'sweeps on schedule'",
        description = "CRITICAL when the last health sweep started longer ago than the health interval plus this bound.")
@interface SweepScheduleConfig {
    String PID = "wasmiot.gateway.health.sweeps";

    @AttributeDefinition(name = "Lateness bound (s)", min = "1", max = "3600",
            description = "How late the next sweep may be, past the health interval, before the check is CRITICAL.")
    int lateAfterSeconds() default 10;
}
