package io.wasmiot.gateway.mdns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = MdnsConfig.PID, name = "WasmIoT gateway: mDNS browser",
        description = "Browses _webthing._tcp.local. for devices and advertises the gateway itself. "
                + "A change restarts the browser; devices already listed are kept.")
@interface MdnsConfig {
    String PID = "wasmiot.gateway.mdns";

    @AttributeDefinition(name = "Interfaces", required = false,
            description = "Network interface names to browse on (e.g. eth0). Empty: every interface that is up and "
                    + "multicast-capable; loopback when there is no other.")
    String[] interfaces() default {};

    @AttributeDefinition(name = "Advertise the gateway",
            description = "Advertise the gateway itself as <self name>._webthing._tcp.local.")
    boolean advertiseSelf() default true;

    @AttributeDefinition(name = "Self name", description = "The gateway's own mDNS instance name; never listed as a device.")
    String selfName() default "orchestrator";

    @AttributeDefinition(name = "Settle window (ms)", min = "0", max = "5000",
            description = "jmdns reports a service several times while it resolves; act once it has been quiet this long.")
    int settleMillis() default 200;

    @AttributeDefinition(name = "Interface check (s)", min = "1",
            description = "How often to look for interfaces or addresses that came or went.")
    int interfaceCheckSeconds() default 10;
}
