package io.wasmiot.gateway.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The two databases the store runs on, each with its driver's {@link DataSourceFactory}; the SQL is
 * their common subset except where a method here says.
 */
enum Dialect {
    H2("jdbc:h2:", Dialect.H2_FACTORY),
    POSTGRESQL("jdbc:postgresql:", Dialect.POSTGRESQL_FACTORY);

    /** The DataSourceFactory that H2's bundle registers. */
    static final String H2_FACTORY = "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.h2.Driver)";
    /** The DataSourceFactory that pgjdbc's bundle registers. */
    static final String POSTGRESQL_FACTORY = "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.postgresql.Driver)";

    private final String urlPrefix;
    /** Selects this database's DataSourceFactory service. */
    final String factoryFilter;

    Dialect(String urlPrefix, String factoryFilter) {
        this.urlPrefix = urlPrefix;
        this.factoryFilter = factoryFilter;
    }

    static Dialect ofUrl(String jdbcUrl) {
        for (Dialect dialect : values()) {
            if (jdbcUrl.startsWith(dialect.urlPrefix)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:h2:... or jdbc:postgresql://...): "
                + jdbcUrl);
    }

    static Dialect of(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres") ? POSTGRESQL : H2;
    }
}
