package io.wasmiot.gateway.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = DiscoveryConfig.PID, pid = DiscoveryConfig.PID, name = "WasmIoT gateway: discovery",
        description = "The device lifecycle: introduction, health checks, status and forgetting (docs/contract.md §3-§5). "
                + "Changes apply at the next sweep; devices are kept.")
@interface DiscoveryConfig {
    String PID = "wasmiot.gateway.discovery";

    @AttributeDefinition(name = "Health interval (s)", min = "1", description = "Seconds between health sweeps.")
    int healthInterval() default 15;

    @AttributeDefinition(name = "Failures before inactive", min = "1")
    int failuresBeforeInactive() default 5;

    @AttributeDefinition(name = "Successes before active", min = "1")
    int successesBeforeActive() default 5;

    @AttributeDefinition(name = "Forget after (s)", min = "0",
            description = "A device inactive for longer than this is forgotten.")
    int forgetAfter() default 300;

    @AttributeDefinition(name = "Goodbye grace (s)", min = "0",
            description = "After an mDNS goodbye, how long a device may take to come back and keep its _id (0: forget at once).")
    int goodbyeGrace() default 10;

    @AttributeDefinition(name = "Introduction rounds", min = "1",
            description = "Rounds of description queries (backoff 1 s, 2 s, ...) before a new device is given up.")
    int introductionRounds() default 3;

    @AttributeDefinition(name = "Introduction backoff (ms)", min = "0",
            description = "Pause before the second round; it doubles for each further round.")
    int introductionBackoffMillis() default 1000;

    @AttributeDefinition(name = "Maximum devices", min = "1")
    int maxDevices() default 10000;

    @AttributeDefinition(name = "Status log length", min = "1")
    int statusLogLength() default 50;

    @AttributeDefinition(name = "Public base URL", required = false,
            description = "Where devices reach the gateway: told to devices with POST /register, its host sent as "
                    + "X-Forwarded-For. An http or https URL with a host. Empty: "
                    + "http://<first non-loopback IPv4 or 127.0.0.1>:<HTTP port>.")
    String publicBaseUrl() default "";
}
