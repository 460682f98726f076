package io.wasmiot.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the device agent (PID {@code wasmiot.agent}). A key that is not set falls back
 * to the reference supervisor's environment variable, then to the default.
 */
@ObjectClassDefinition(id = AgentConfig.PID, name = "WasmIoT device agent",
        description = "This host as a WasmIoT device: mDNS advertisement, description, health, register. "
                + "Unset keys fall back to WASMIOT_SUPERVISOR_NAME, WASMIOT_SUPERVISOR_PORT, "
                + "WASMIOT_ORCHESTRATOR_URL, WASMIOT_REGISTER_RENEWAL_TIME.")
@interface AgentConfig {
    String PID = "wasmiot.agent";

    @AttributeDefinition(name = "Device name", required = false,
            description = "mDNS instance label. Unset: $WASMIOT_SUPERVISOR_NAME, else this host's name.")
    String name();

    @AttributeDefinition(name = "HTTP port", min = "1", max = "65535", required = false,
            description = "Unset: $WASMIOT_SUPERVISOR_PORT, else 5000.")
    int port() default 5000;

    @AttributeDefinition(name = "Orchestrator URL", required = false,
            description = "Gateway base URL to register with (http://host:3000). Unset: $WASMIOT_ORCHESTRATOR_URL, "
                    + "else no registration (the gateway finds the device over mDNS).")
    String orchestratorUrl();

    @AttributeDefinition(name = "Registration renewal (s)", min = "1", required = false,
            description = "With no health check for this long: goodbye, pause, advertise and register again. "
                    + "Unset: $WASMIOT_REGISTER_RENEWAL_TIME, else 900.")
    long registerRenewalSeconds() default 900;

    @AttributeDefinition(name = "Description file", required = false,
            description = "JSON object served at /.well-known/wasmiot-device-description. Unset: generated from this host.")
    String descriptionFile();

    @AttributeDefinition(name = "mDNS address", required = false,
            description = "IPv4 to advertise on. Unset: the first up, multicast-capable interface's (127.0.0.1 if none).")
    String mdnsAddress();
}
