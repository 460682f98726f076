package io.wasmiot.gateway.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = RestConfig.PID, name = "WasmIoT gateway: REST API",
        description = "The REST API under /file/device and how devices reach the gateway.")
@interface RestConfig {
    String PID = "wasmiot.gateway.rest";



    @AttributeDefinition(name = "Public base URL", required = false,
            description = "Where devices reach the gateway (told to devices with POST /register and sent as "
                    + "X-Forwarded-For). Empty: http://<first non-loopback IPv4 or 127.0.0.1>:<HTTP port>.")
    String publicBaseUrl() default "";

    /** Key {@code .apiToken}: a key that starts with a dot stays private, never a service property. */
    @AttributeDefinition(name = "API token", type = AttributeType.PASSWORD, required = false,
            description = "Configuration key .apiToken (with the dot: private, never published as a service property). "
                    + "When set, every non-GET request except register needs 'Authorization: Bearer <token>'.")
    String _apiToken() default "";

    @AttributeDefinition(name = "Register allowed networks", required = false,
            description = "CIDR blocks (e.g. 192.168.0.0/16) whose hosts may call register. Empty: any.")
    String[] registerAllowedNetworks() default {};

    @AttributeDefinition(name = "Maximum request body (bytes)", min = "1024")
    int maxBodyBytes() default 65536;
}
