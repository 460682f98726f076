package io.wasmiot.gateway.cluster.internal;

/**
 * The store's connection pool as a {@code javax.sql.DataSource} service, which the store bundle
 * publishes with these properties (its {@code JdbcDeviceStore} names them too: this bundle imports
 * API packages only, so the names are a contract written twice). No credential is ever a property.
 */
final class StoreDataSource {
    /** {@code h2} or {@code postgresql}. */
    static final String DIALECT = "dialect";
    /** The JDBC URL without its parameters (which may hold a password). */
    static final String JDBC_URL = "jdbcUrl";
    /** This gateway's id among the gateways sharing the database (the store's configuration or data folder). */
    static final String GATEWAY_ID = "gatewayId";
    /** The pool of a store on PostgreSQL: the only database several gateways share. */
    static final String POSTGRESQL = "(" + DIALECT + "=postgresql)";

    private StoreDataSource() {
    }

    static String gatewayId(java.util.Map<String, ?> properties) {
        Object id = properties.get(GATEWAY_ID);
        if (!(id instanceof String text) || text.isBlank()) {
            throw new IllegalStateException("the store's DataSource service has no " + GATEWAY_ID + " property");
        }
        return text;
    }
}
