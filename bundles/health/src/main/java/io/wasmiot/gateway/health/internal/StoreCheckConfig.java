package io.wasmiot.gateway.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = StoreCheckConfig.PID,
        name = "WasmIoT gateway: health check 'store answers'",
        description = "CRITICAL when the device store is not there or does not answer a read within the timeout.")
@interface StoreCheckConfig {
    String PID = "wasmiot.gateway.health.store";

    @AttributeDefinition(name = "Read timeout (ms)", min = "50", max = "60000",
            description = "How long the store's read (a device count) may take. Keep it below the health check "
                    + "executor's timeoutInMs (2000 by default), or the executor reports the check as timed out first.")
    int timeoutMillis() default 1000;
}
