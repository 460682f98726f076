package io.wasmiot.gateway.update.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = UpdateConfig.PID, name = "WasmIoT gateway: update service",
        description = "Updates of one bundle from an uploaded jar: staged with its SHA-256, applied to that bundle "
                + "only, health-gated, rolled back automatically when the gate fails.")
@interface UpdateConfig {
    String PID = "wasmiot.gateway.update";

    @AttributeDefinition(name = "Health gate (seconds)", min = "1", max = "600",
            description = "How long an applied update is watched before it is committed: the bundle ACTIVE, its "
                    + "components satisfied, no readiness check newly CRITICAL, no listed device lost.")
    int gateSeconds() default 30;

    @AttributeDefinition(name = "Devices that may be lost", min = "0", max = "100000",
            description = "How many devices listed before the update may be missing at the end of the gate window.")
    int maxDevicesLost() default 0;

    @AttributeDefinition(name = "Maximum jar size (bytes)", min = "1024", max = "268435456",
            description = "An upload above this is refused before anything changes.")
    long maxJarBytes() default 33554432L;

    @AttributeDefinition(name = "Journal size bound (bytes)", min = "16384", max = "1073741824",
            description = "When the journal (data/updates/journal.jsonl) grows past this, its oldest lines are dropped "
                    + "down to half of it (a step is a few hundred bytes: the default keeps some thousands).")
    long journalMaxBytes() default 1048576L;

    /** Key {@code .apiToken}: a key that starts with a dot stays private, never a service property. */
    @AttributeDefinition(name = "Own API token for updates", type = AttributeType.PASSWORD, required = false,
            description = "Configuration key .apiToken (with the dot: private). Empty (the default): POST /gateway/updates "
                    + "needs the gateway's API token (.apiToken of wasmiot.gateway.rest) as 'Authorization: Bearer <token>', "
                    + "and with no API token either, updates over REST are refused (403). Set: only this token installs code.")
    String _apiToken() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "A PKCS12 or JKS file of trusted certificates (relative paths: from the configuration folder, "
                    + "conf/). When set, a jar is accepted only when every entry is signed (jarsigner) by a trusted "
                    + "certificate or one it issued; unsigned jars are refused. Empty: no signature check.")
    String trustStore() default "";

    /** Key {@code .trustStorePassword}: private, as {@code .apiToken}. */
    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false,
            description = "Configuration key .trustStorePassword (with the dot: private). Empty: none.")
    String _trustStorePassword() default "";
}
