package io.wasmiot.gateway.store.internal;

import static org.junit.Assume.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.osgi.service.jdbc.DataSourceFactory;

import com.zaxxer.hikari.HikariDataSource;

/**
 * One empty database for a test: an H2 file in a temporary folder, or a fresh schema in the
 * PostgreSQL server that bin/with-postgres starts (WASMIOT_TEST_PG_URL, _USER, _PASSWORD). Without
 * that server the PostgreSQL tests are skipped, except under CI=true, where they fail.
 */
final class TestDatabase implements AutoCloseable {
    static final String PG_URL = "WASMIOT_TEST_PG_URL";

    final Dialect dialect;
    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private TestDatabase(Dialect dialect, String url, String user, String password, String schema) {
        this.dialect = dialect;
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    static TestDatabase h2(Path folder) {
        return new TestDatabase(Dialect.H2, "jdbc:h2:" + folder.resolve("devices"), "", "", null);
    }

    /** A fresh schema on the test server, dropped by {@link #close()}. */
    static TestDatabase postgres() {
        String base = System.getenv(PG_URL);
        if (base == null || base.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(PG_URL + " is not set: run the tests through bin/test (bin/with-postgres)");
            }
            assumeTrue("no PostgreSQL for the tests (" + PG_URL + " unset): run them through bin/test, "
                    + "which starts one with bin/with-postgres", false);
        }
        String user = System.getenv().getOrDefault("WASMIOT_TEST_PG_USER", "");
        String password = System.getenv().getOrDefault("WASMIOT_TEST_PG_PASSWORD", "");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(base, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("cannot reach the test PostgreSQL at " + base + ": " + e.getMessage(), e);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(Dialect.POSTGRESQL, url, user, password, schema);
    }

    static TestDatabase of(String dialect, Path folder) {
        return "postgresql".equals(dialect) ? postgres() : h2(folder);
    }

    /** The DataSourceFactory the driver's bundle registers in the gateway, made here without OSGi. */
    static DataSourceFactory h2Driver() {
        return new org.h2.util.OsgiDataSourceFactory(org.h2.Driver.load());
    }

    static DataSourceFactory postgresDriver() {
        return new org.postgresql.osgi.PGDataSourceFactory();
    }

    DataSourceFactory driver() {
        return dialect == Dialect.POSTGRESQL ? postgresDriver() : h2Driver();
    }

    /** A new pool on this database: one per simulated gateway. */
    HikariDataSource pool(int size) {
        return StorePool.open(driver(), url, user, password, size, 5000);
    }

    JdbcDeviceStore store(String gatewayId) {
        return new JdbcDeviceStore(gatewayId, pool(8));
    }

    /** A store that logs in as another role of the test server (one made by the test). */
    JdbcDeviceStore store(String gatewayId, String otherUser, String otherPassword) {
        return new JdbcDeviceStore(gatewayId, StorePool.open(driver(), url, otherUser, otherPassword, 8, 5000));
    }

    /** The PostgreSQL schema of this test (null on H2). */
    String schema() {
        return schema;
    }

    /** A plain connection beside the stores, autocommit, for what a test checks directly. */
    Connection connect() throws SQLException {
        return StorePool.dataSource(driver(), url, user, password, 5000).getConnection();
    }

    @Override
    public void close() {
        if (schema == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(System.getenv(PG_URL),
                System.getenv().getOrDefault("WASMIOT_TEST_PG_USER", ""),
                System.getenv().getOrDefault("WASMIOT_TEST_PG_PASSWORD", ""));
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop test schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
