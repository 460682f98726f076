package io.wasmiot.gateway.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ProberConfig.PID,
        name = "WasmIoT gateway: health check 'prober not failing wholesale'",
        description = "Judges the share of failed device checks in the last finished health sweep.")
@interface ProberConfig {
    String PID = "wasmiot.gateway.health.prober";

    @AttributeDefinition(name = "WARN at failed share", min = "0", max = "1",
            description = "WARN when at least this share (0-1) of the last sweep's checks failed.")
    double warnFailedShare() default 0.5;

    @AttributeDefinition(name = "CRITICAL at failed share", min = "0", max = "1",
            description = "CRITICAL when at least this share (0-1) of the last sweep's checks failed.")
    double criticalFailedShare() default 0.9;

    @AttributeDefinition(name = "Minimum checks", min = "1", max = "1000000",
            description = "A sweep with fewer checks than this is not judged (a few devices failing says nothing "
                    + "about the gateway).")
    int minimumChecks() default 4;
}
