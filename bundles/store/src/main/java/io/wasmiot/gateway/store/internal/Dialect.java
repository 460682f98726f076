package io.wasmiot.gateway.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** The two databases the store runs on; the SQL is their common subset except where a method here says. */
enum Dialect {
    H2,
    POSTGRESQL;

    static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:h2:... or jdbc:postgresql://...): "
                + jdbcUrl);
    }

    static Dialect of(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres") ? POSTGRESQL : H2;
    }
}
