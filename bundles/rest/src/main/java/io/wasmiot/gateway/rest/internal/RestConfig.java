package io.wasmiot.gateway.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = RestConfig.PID, name = "WasmIoT gateway: REST API",
        description = "The REST API under /file/device and how devices reach the gateway.")
@interface RestConfig {
    String PID = "wasmiot.gateway.rest";

    /** Moved to the discovery PID (the core reads only its own); still declared so a value left here is warned of. */
    @AttributeDefinition(name = "Public base URL (moved)", required = false,
            description = "No longer read here: set publicBaseUrl in wasmiot.gateway.discovery. A value here is "
                    + "ignored with a warning in the log.")
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
