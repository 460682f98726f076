package io.wasmiot.gateway.source.statics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = StaticDeviceConfig.FACTORY_PID, name = "WasmIoT gateway: static device",
        description = "A device the gateway cannot find by mDNS and that cannot register itself (behind a router, "
                + "say): one configuration per device. It is introduced and health checked like any other device; "
                + "deleting the configuration is its goodbye.")
@interface StaticDeviceConfig {
    String FACTORY_PID = "wasmiot.gateway.source.static";

    @AttributeDefinition(name = "Name", description = "The device's identity (1-255 characters), as an mDNS instance "
            + "label would be: a device of the same name found otherwise is the same device.")
    String name();

    @AttributeDefinition(name = "Address", description = "The device's IP address (IPv4 or IPv6, no host name): where "
            + "the gateway sends its description query and health checks.")
    String address();

    @AttributeDefinition(name = "Port", description = "The device's HTTP port.", min = "1", max = "65535")
    int port();

    @AttributeDefinition(name = "TLS", description = "Whether the device speaks https.", required = false)
    boolean tls() default false;
}
