package io.wasmiot.gateway.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.StatusChange;

/**
 * The one mapping between a {@link Device} and a row of the {@code device} table, and the schema
 * steps that make that table. Every column is declared once, with how its value is taken from a
 * device and how it is read back; the statements' column lists and parameter positions are derived
 * from {@link #columns}. A new field of the device document is a column here and a schema step
 * appended to {@link #STEPS}.
 */
final class DeviceTable {
    /** Schema steps, in order, each run once (SchemaMigrations). The SQL is the common subset of H2 and PostgreSQL. */
    static final List<String> STEPS = List.of(
            // 1: the device table
            "CREATE TABLE device ("
                    + " id CHAR(24) PRIMARY KEY,"
                    + " name VARCHAR(255) NOT NULL UNIQUE,"
                    + " addresses VARCHAR(4096) NOT NULL,"
                    + " port INT NOT NULL,"
                    + " tls BOOLEAN NOT NULL,"
                    + " path VARCHAR(255) NOT NULL,"
                    + " description VARCHAR(1000000) NOT NULL,"
                    + " status VARCHAR(16) NOT NULL,"
                    + " failed_count INT NOT NULL,"
                    + " ok_count INT NOT NULL,"
                    + " status_log VARCHAR(1000000) NOT NULL,"
                    + " health_report VARCHAR(1000000),"
                    + " health_time BIGINT,"
                    + " blacklisted BOOLEAN NOT NULL,"
                    + " source VARCHAR(16) NOT NULL,"
                    + " last_seen BIGINT NOT NULL,"
                    + " created_at BIGINT NOT NULL)",
            // 2: gateways sharing the store (issue 9): liveness, epoch millis of the database's clock
            "CREATE TABLE gateway ("
                    + " gateway_id VARCHAR(64) PRIMARY KEY,"
                    + " alive_until BIGINT NOT NULL)",
            // 3, 4: each device's lease, on its row so that deleting a device deletes its lease
            "ALTER TABLE device ADD COLUMN lease_owner VARCHAR(64)",
            "ALTER TABLE device ADD COLUMN lease_until BIGINT",
            // 5: a lease round reads a gateway's own rows
            "CREATE INDEX device_lease_owner ON device (lease_owner)",
            // 6: a lease is valid while its owner is alive (gateway.alive_until): no per-row expiry.
            // Gateways sharing a database run one schema: an older one stops on this change, loudly.
            "ALTER TABLE device DROP COLUMN lease_until");

    /** Who writes a column: {@code saveAll} writes only what health checks and operators change. */
    enum Written { BY_SAVE, BY_CHECKS }

    /** Sets one statement parameter from a value. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, int index, T value) throws SQLException;
    }

    /** Reads one column of the current row. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet row, String column) throws SQLException;
    }

    /** One column: its name, which save writes it, how a device gives its value and how a row gives it back. */
    record Column<T>(String name, Written written, Function<Device, T> value, Binder<T> binder, Reader<T> reader) {
        T read(ResultSet row) throws SQLException {
            return reader.read(row, name);
        }

        void bind(PreparedStatement statement, int index, Device device) throws SQLException {
            binder.bind(statement, index, value.apply(device));
        }
    }

    private static final Binder<String> TEXT = PreparedStatement::setString;
    private static final Binder<Integer> INT = PreparedStatement::setInt;
    private static final Binder<Boolean> BOOL = PreparedStatement::setBoolean;
    private static final Binder<Long> NULLABLE_LONG = (statement, index, value) -> {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    };
    private static final Reader<String> READ_TEXT = ResultSet::getString;
    private static final Reader<Integer> READ_INT = ResultSet::getInt;
    private static final Reader<Boolean> READ_BOOL = ResultSet::getBoolean;
    private static final Reader<Long> READ_NULLABLE_LONG = (row, column) -> {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    };

    final Column<String> id = new Column<>("id", Written.BY_SAVE, Device::id, TEXT, READ_TEXT);
    final Column<String> name = new Column<>("name", Written.BY_SAVE, Device::name, TEXT, READ_TEXT);
    final Column<List<String>> addresses;
    final Column<Integer> port = new Column<>("port", Written.BY_SAVE, d -> d.communication().port(), INT, READ_INT);
    final Column<Boolean> tls = new Column<>("tls", Written.BY_SAVE, d -> d.communication().tls(), BOOL, READ_BOOL);
    final Column<String> path = new Column<>("path", Written.BY_SAVE, d -> d.communication().path(), TEXT, READ_TEXT);
    final Column<String> description = new Column<>("description", Written.BY_SAVE, Device::description, TEXT,
            READ_TEXT);
    final Column<DeviceStatus> status = new Column<>("status", Written.BY_CHECKS, Device::status,
            (statement, index, value) -> statement.setString(index, value.wireName()),
            (row, column) -> DeviceStatus.fromWireName(row.getString(column)));
    final Column<Integer> failedCount = new Column<>("failed_count", Written.BY_CHECKS,
            Device::failedHealthCheckCount, INT, READ_INT);
    final Column<Integer> okCount = new Column<>("ok_count", Written.BY_CHECKS, Device::okHealthCheckCount, INT,
            READ_INT);
    final Column<List<StatusChange>> statusLog;
    final Column<String> healthReport = new Column<>("health_report", Written.BY_CHECKS,
            d -> d.health() == null ? null : d.health().report(), TEXT, READ_TEXT);
    final Column<Long> healthTime = new Column<>("health_time", Written.BY_CHECKS,
            d -> d.health() == null ? null : d.health().timeOfQuery().toEpochMilli(), NULLABLE_LONG,
            READ_NULLABLE_LONG);
    final Column<Boolean> blacklisted = new Column<>("blacklisted", Written.BY_CHECKS, Device::blacklisted, BOOL,
            READ_BOOL);
    final Column<String> source = new Column<>("source", Written.BY_SAVE, Device::source, TEXT, READ_TEXT);
    final Column<Long> lastSeen = new Column<>("last_seen", Written.BY_CHECKS, d -> d.lastSeen().toEpochMilli(),
            NULLABLE_LONG, READ_NULLABLE_LONG);

    /** Every column of the document, in the order of the statements' parameters. */
    final List<Column<?>> columns;

    /** SELECT's column list. */
    final String selectList;
    /** Inserts a row: every column, then {@code created_at}. */
    final String insert;
    /** Rewrites a row found by its id (the last parameter). */
    final String updateById;
    /** Writes what {@link Written#BY_CHECKS} to a row found by its id (the last parameter). */
    final String updateChecked;

    private final List<Column<?>> checked;

    DeviceTable(JsonColumns json) {
        addresses = new Column<>("addresses", Written.BY_CHECKS, d -> d.communication().addresses(),
                (statement, index, value) -> statement.setString(index, json.writeAddresses(value)),
                (row, column) -> json.readAddresses(row.getString(column)));
        statusLog = new Column<>("status_log", Written.BY_CHECKS, Device::statusLog,
                (statement, index, value) -> statement.setString(index, json.writeStatusLog(value)),
                (row, column) -> json.readStatusLog(row.getString(column)));
        columns = List.of(id, name, addresses, port, tls, path, description, status, failedCount, okCount, statusLog,
                healthReport, healthTime, blacklisted, source, lastSeen);
        checked = columns.stream().filter(column -> column.written() == Written.BY_CHECKS).toList();
        selectList = names(columns, "");
        insert = "INSERT INTO device (" + selectList + ", created_at) VALUES ("
                + "?, ".repeat(columns.size()) + "?)";
        updateById = "UPDATE device SET " + names(columns, " = ?") + " WHERE id = ?";
        updateChecked = "UPDATE device SET " + names(checked, " = ?") + " WHERE id = ?";
    }

    /** The device of the current row. */
    Device read(ResultSet row) throws SQLException {
        Long time = healthTime.read(row);
        Health health = time == null ? null : new Health(healthReport.read(row), Instant.ofEpochMilli(time));
        return new Device(id.read(row), name.read(row),
                new Communication(addresses.read(row), port.read(row), tls.read(row), path.read(row)),
                description.read(row), status.read(row), failedCount.read(row), okCount.read(row),
                statusLog.read(row), health, blacklisted.read(row), source.read(row),
                Instant.ofEpochMilli(lastSeen.read(row)));
    }

    /** Binds {@link #insert}'s parameters. */
    void bindInsert(PreparedStatement statement, Device device, long createdAt) throws SQLException {
        int next = bind(statement, columns, device);
        statement.setLong(next, createdAt);
    }

    /** Binds {@link #updateById}'s parameters. */
    void bindUpdate(PreparedStatement statement, Device device) throws SQLException {
        statement.setString(bind(statement, columns, device), device.id());
    }

    /** Binds {@link #updateChecked}'s parameters. */
    void bindChecked(PreparedStatement statement, Device device) throws SQLException {
        statement.setString(bind(statement, checked, device), device.id());
    }

    /** Binds the columns from parameter 1 on; returns the next parameter's index. */
    private static int bind(PreparedStatement statement, List<Column<?>> columns, Device device) throws SQLException {
        int index = 1;
        for (Column<?> column : columns) {
            column.bind(statement, index++, device);
        }
        return index;
    }

    private static String names(List<Column<?>> columns, String suffix) {
        return columns.stream().map(column -> column.name() + suffix).collect(Collectors.joining(", "));
    }
}
