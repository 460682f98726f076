package io.wasmiot.gateway.probe.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ProbeConfig.PID, name = "WasmIoT gateway: device prober",
        description = "How the gateway talks HTTP to devices: time, size and concurrency bounds. "
                + "Changing a key restarts the prober; requests in flight then fail with \"prober stopped\".")
@interface ProbeConfig {
    String PID = "wasmiot.gateway.probe";

    @AttributeDefinition(name = "Connect timeout (ms)", description = "How long to wait for a device to accept a connection.",
            min = "1")
    long connectTimeoutMillis() default 2000;

    @AttributeDefinition(name = "Read timeout (ms)",
            description = "Deadline of one request to one address, from sending it to the last byte of the body.", min = "1")
    long readTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Largest description (bytes)",
            description = "A device description above this size is a failure; reading stops at the limit.", min = "2")
    int maxDescriptionBytes() default 262144;

    @AttributeDefinition(name = "Largest health report (bytes)",
            description = "A health (or register) answer above this size is a failure; reading stops at the limit.", min = "2")
    int maxHealthBytes() default 65536;

    @AttributeDefinition(name = "Concurrency",
            description = "At most this many requests in flight to all devices together; the rest wait in line. "
                    + "Requests to devices whose last request ran out of time hold a quarter of them at most, so devices "
                    + "that never answer cannot hold the slots the others need.", min = "1")
    int concurrency() default 64;
}
