package io.wasmiot.gateway.store.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.store.StoreException;

/**
 * Brings the schema to the newest version, one numbered step at a time, each in its own
 * transaction. Steps are only ever appended.
 */
final class SchemaMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    /** The steps, in order: {@link DeviceTable#STEPS}, beside the row mapping they must agree with. */
    static final List<String> STEPS = DeviceTable.STEPS;

    /** PostgreSQL advisory lock key: gateways starting together on a fresh database migrate one at a time. */
    private static final long MIGRATION_LOCK = 0x7761736d696f74L; // "wasmiot"

    private final DataSource dataSource;

    SchemaMigrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void migrate() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean postgres = Dialect.of(connection) == Dialect.POSTGRESQL;
            if (postgres) {
                statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            }
            try {
                migrate(connection, statement);
            } finally {
                if (postgres) {
                    connection.rollback(); // leave no aborted transaction in the way of the unlock
                    statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                    connection.commit();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("schema migration failed: " + e.getMessage(), e);
        }
    }

    private void migrate(Connection connection, Statement statement) throws SQLException {
        {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
            connection.commit();
            int current = currentVersion(statement);
            for (int step = current; step < STEPS.size(); step++) {
                try {
                    statement.execute(STEPS.get(step));
                    statement.executeUpdate("DELETE FROM schema_version");
                    statement.executeUpdate("INSERT INTO schema_version (version) VALUES (" + (step + 1) + ")");
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                }
                LOG.info("Device store schema migrated to version {}", step + 1);
            }
            if (current > STEPS.size()) {
                throw new StoreException("database schema version " + current + " is newer than this bundle knows ("
                        + STEPS.size() + "): refusing to touch it");
            }
        }
    }

    private static int currentVersion(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
