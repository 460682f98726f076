package io.wasmiot.gateway.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = StoreConfig.PID, name = "WasmIoT gateway: device store",
        description = "Where the gateway keeps its devices. Changing a key reopens the database.")
@interface StoreConfig {
    String PID = "wasmiot.gateway.store";



    @AttributeDefinition(name = "JDBC URL", description = "jdbc:h2:... (embedded H2) or jdbc:postgresql://host:port/db. "
            + "${wasmiot.data.dir} stands for the gateway's data folder (framework property, default ./data).")
    String jdbcUrl() default "jdbc:h2:${wasmiot.data.dir}/devices";

    @AttributeDefinition(name = "User", required = false)
    String user() default "";

    /** Key {@code .password}: a key that starts with a dot stays private, never a service property. */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Configuration key .password (with the dot: private, so it is never published as a service "
                    + "property, where every bundle and the web console's services page would show it).")
    String _password() default "";

    @AttributeDefinition(name = "Connection pool size", min = "1", max = "64")
    int maxPoolSize() default 8;

    @AttributeDefinition(name = "Connection timeout (ms)", description = "How long a caller waits for a database connection; "
            + "also bounds connecting to a PostgreSQL server.",
            min = "250")
    long connectionTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Gateway id", required = false,
            description = "This gateway's identity among gateways sharing one PostgreSQL database (leases, events). "
                    + "Empty: a UUID generated at the first start and kept in ${wasmiot.data.dir}/gateway-id.")
    String gatewayId() default "";
}
