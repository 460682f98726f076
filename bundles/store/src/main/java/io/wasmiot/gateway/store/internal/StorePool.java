package io.wasmiot.gateway.store.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.wasmiot.gateway.api.store.StoreException;
import io.wasmiot.lib.settings.BoundedValues;

/**
 * The store's connections: a data source made by the driver's {@link DataSourceFactory} (so the
 * store imports no driver package), pooled by HikariCP.
 */
final class StorePool {
    static final String DATA_DIR_PROPERTY = "wasmiot.data.dir";
    static final int MAX_POOL_SIZE = 100;
    /** No statement waits longer than this for a PostgreSQL server's answer. */
    static final int SOCKET_TIMEOUT_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(StorePool.class);

    private StorePool() {
    }

    static Path dataDir(String dataDirProperty) {
        return Path.of(dataDirProperty == null || dataDirProperty.isBlank() ? "./data" : dataDirProperty)
                .toAbsolutePath().normalize();
    }

    static String resolveUrl(String jdbcUrl, String dataDirProperty) {
        return jdbcUrl.strip().replace("${" + DATA_DIR_PROPERTY + "}", dataDir(dataDirProperty).toString());
    }

    /** HikariCP takes no connection timeout below 250 ms; above ten minutes a request would wait on for nothing. */
    static long connectionTimeoutMillis(StoreConfig config, BoundedValues values) {
        return values.within("connectionTimeoutMillis", config.connectionTimeoutMillis(), 250, 600_000);
    }

    static HikariDataSource open(DataSourceFactory driver, StoreConfig config, String password,
                                 String dataDirProperty) {
        BoundedValues values = new BoundedValues(StoreConfig.PID);
        int maxPoolSize = values.within("maxPoolSize", config.maxPoolSize(), 1, MAX_POOL_SIZE);
        long connectionTimeoutMillis = connectionTimeoutMillis(config, values);
        values.warn(LOG::warn);
        return open(driver, resolveUrl(config.jdbcUrl(), dataDirProperty), config.user(), password, maxPoolSize,
                connectionTimeoutMillis);
    }

    static HikariDataSource open(DataSourceFactory driver, String url, String user, String password, int maxPoolSize,
                                 long connectionTimeoutMillis) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("wasmiot-store");
        hikari.setJdbcUrl(url); // for logging and the dialect only: the data source does the connecting
        hikari.setMaximumPoolSize(maxPoolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(connectionTimeoutMillis);
        hikari.setAutoCommit(false);
        try {
            hikari.setDataSource(dataSource(driver, url, user, password, connectionTimeoutMillis));
            // fails fast (HikariCP's initializationFailTimeout) when the first connection cannot be made
            return new HikariDataSource(hikari);
        } catch (SQLException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.error("Device store cannot open {}: {}", safeUrl(url), cause.getMessage());
            throw new StoreException("cannot open " + safeUrl(url) + ": " + cause.getMessage(), e);
        }
    }

    /** The URL without its parameters, which may hold a password. */
    static String safeUrl(String url) {
        int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters) + "?...";
    }

    /** An unpooled data source of the database at {@code url}, made by its driver's factory. */
    static DataSource dataSource(DataSourceFactory driver, String url, String user, String password,
                                 long connectionTimeoutMillis) throws SQLException {
        return driver.createDataSource(properties(url, user, password, connectionTimeoutMillis));
    }

    /** What the factory is given: the standard keys, and for PostgreSQL its own (pgjdbc sets each by name). */
    static Properties properties(String url, String user, String password, long connectionTimeoutMillis) {
        Properties properties = new Properties();
        if (Dialect.ofUrl(url) == Dialect.POSTGRESQL) {
            properties.setProperty(DataSourceFactory.JDBC_URL, url);
            if (user != null && !user.isBlank()) {
                properties.setProperty(DataSourceFactory.JDBC_USER, user);
            }
            if (password != null && !password.isEmpty()) {
                properties.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
            }
            String seconds = String.valueOf(Math.max(1, (connectionTimeoutMillis + 999) / 1000));
            properties.setProperty("connectTimeout", seconds); // an unreachable server fails the activation, not hangs it
            properties.setProperty("loginTimeout", seconds);
            properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("ApplicationName", "wasmiot-gateway");
            return properties;
        }
        // The gateway closes the database on deactivate; H2's own shutdown hook would close it
        // under the feet of components still stopping.
        String withOptions = url.contains("DB_CLOSE_ON_EXIT") ? url : url + ";DB_CLOSE_ON_EXIT=FALSE";
        // H2's default WRITE_DELAY (500 ms) acknowledges a commit before it is in the file: a kill -9
        // lost devices the gateway had listed (RestartIT). Health results are written in batches,
        // so writing each commit at once costs few file writes.
        properties.setProperty(DataSourceFactory.JDBC_URL,
                withOptions.contains("WRITE_DELAY") ? withOptions : withOptions + ";WRITE_DELAY=0");
        properties.setProperty(DataSourceFactory.JDBC_USER, user == null ? "" : user);
        properties.setProperty(DataSourceFactory.JDBC_PASSWORD, password == null ? "" : password);
        return properties;
    }
}
