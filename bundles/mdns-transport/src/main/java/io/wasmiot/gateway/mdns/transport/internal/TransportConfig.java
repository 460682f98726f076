package io.wasmiot.gateway.mdns.transport.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = TransportConfig.PID, name = "WasmIoT gateway: mDNS",
        description = "The mDNS socket: which interfaces it listens on, and how the gateway advertises itself. "
                + "A change reopens the socket; devices already listed are kept.")
@interface TransportConfig {
    String PID = "wasmiot.gateway.mdns";

    @AttributeDefinition(name = "Interfaces", required = false,
            description = "Network interface names to listen on (e.g. eth0). Empty: every interface that is up and "
                    + "multicast-capable; loopback when there is no other.")
    String[] interfaces() default {};

    @AttributeDefinition(name = "Advertise the gateway",
            description = "Advertise the gateway itself as <self name>._webthing._tcp.local.")
    boolean advertiseSelf() default true;

    @AttributeDefinition(name = "Self name", description = "The gateway's own mDNS instance name; never listed as a device.")
    String selfName() default "orchestrator";

    @AttributeDefinition(name = "Interface check (s)", min = "1", max = "3600",
            description = "How often to look for interfaces or addresses that came or went.")
    int interfaceCheckSeconds() default 10;

    @AttributeDefinition(name = "Receive buffer (bytes)", min = "65536", max = "67108864",
            description = "The socket's receive buffer asked of the kernel (which caps it at net.core.rmem_max): "
                    + "what a burst of announcements can queue while the receiving thread catches up.")
    int receiveBufferBytes() default 4 << 20;
}
