package io.wasmiot.gateway.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * {@link DeviceStore} on JDBC (embedded H2, or PostgreSQL shared by several gateways), its data
 * source made by the driver's DataSourceFactory and pooled. The schema (the lease columns and the
 * gateway table of the cluster bundle included) is created or migrated on activation; every public
 * method is one transaction. The components are its subclasses, one per database
 * ({@link StoreDatabaseSelector} enables the one the JDBC URL names); a configuration change
 * reactivates the component, reopening the pool. The pool is also published as a
 * {@link DataSource} service ({@link StorePoolPublisher}): the cluster bundle (leases, event relay)
 * works on it, so a gateway has one pool.
 */
public class JdbcDeviceStore implements DeviceStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDeviceStore.class);
    /** SQLSTATE of a unique constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    // The published pool's service properties, which the cluster bundle filters and reads (its
    // StoreDataSource names them too: it imports API packages only).
    /** Service property of the published pool: {@code h2} or {@code postgresql}. */
    static final String DIALECT = "dialect";
    /** Service property of the published pool: its JDBC URL without parameters. */
    static final String JDBC_URL = "jdbcUrl";
    /** Service property of the published pool: this gateway's id among those sharing the database. */
    static final String GATEWAY_ID = "gatewayId";

    /** A first save of one name by several gateways at once: each loser retries as an update. */
    private static final int SAVE_ATTEMPTS = 3;

    private final HikariDataSource pool;
    private final String gatewayId;
    private final IdGenerator ids = new IdGenerator();
    private final DeviceTable table = new DeviceTable(new JsonColumns());

    JdbcDeviceStore(Dialect dialect, StoreConfig config, Map<String, Object> properties, BundleContext context,
                    DataSourceFactory driver) {
        // the URL's database first, then the id: a failure there leaves no pool open
        this(GatewayIds.resolve(checked(dialect, config).gatewayId(),
                        StorePool.dataDir(context.getProperty(StorePool.DATA_DIR_PROPERTY))),
                StorePool.open(driver, config, StoreSecrets.password(config, properties, LOG),
                        context.getProperty(StorePool.DATA_DIR_PROPERTY)));
    }

    /**
     * The configuration, when its URL names this component's database. A change to the other
     * database can reach this component before {@link StoreDatabaseSelector} disables it: it then
     * stops with this message instead of handing the URL to the wrong driver.
     */
    static StoreConfig checked(Dialect dialect, StoreConfig config) {
        Dialect named = Dialect.ofUrl(config.jdbcUrl().strip());
        if (named != dialect) {
            throw new IllegalStateException("jdbcUrl names " + named + ", not " + dialect
                    + ": this store component stays off (StoreDatabaseSelector enables the " + named + " one)");
        }
        return config;
    }

    JdbcDeviceStore(String gatewayId, HikariDataSource pool) {
        this.pool = pool;
        this.gatewayId = gatewayId;
        try {
            new SchemaMigrations(pool).migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("Device store open on {} ({} devices); gateway id {}", StorePool.safeUrl(pool.getJdbcUrl()), count(),
                gatewayId);
    }

    /**
     * Publishes the pool as a {@link DataSource} service for the cluster bundle. Its properties say
     * which database it is ({@value #DIALECT}: {@code h2} or {@code postgresql}; {@value #JDBC_URL}
     * without its parameters, which may hold a password) and this gateway's id ({@value #GATEWAY_ID});
     * never a credential. The service object hands out pooled connections only ({@link PublishedPool}).
     */
    ServiceRegistration<DataSource> publish(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(DIALECT, Dialect.ofUrl(pool.getJdbcUrl()).name().toLowerCase(java.util.Locale.ROOT));
        properties.put(JDBC_URL, StorePool.safeUrl(pool.getJdbcUrl()));
        properties.put(GATEWAY_ID, gatewayId);
        properties.put(org.osgi.framework.Constants.SERVICE_DESCRIPTION, "The device store's connection pool");
        return context.registerService(DataSource.class, new PublishedPool(pool), properties);
    }

    /** This gateway's id (configured, else kept in the data folder). */
    @Override
    public String gatewayId() {
        return gatewayId;
    }

    /** The pool (tests and the cluster bundle's tests reach it here). */
    DataSource dataSource() {
        return pool;
    }

    /**
     * Closes the pool; the components call it on deactivation. The pool's service is withdrawn
     * before ({@link StorePoolPublisher} stops with this component's services), so the cluster
     * bundle's components have stopped (leases released, the relay's connection returned).
     */
    void close() {
        pool.close();
        LOG.info("Device store closed");
    }

    @Override
    public List<Device> findAll() {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + table.selectList + " FROM device ORDER BY name")) {
                return readAll(select);
            }
        });
    }

    @Override
    public Optional<Device> findById(String id) {
        return inTransaction(connection -> findBy(connection, "id", id));
    }

    @Override
    public Optional<Device> findByName(String name) {
        return inTransaction(connection -> findBy(connection, "name", name));
    }

    @Override
    public Device save(Device device) {
        return saveEach(List.of(device)).get(0);
    }

    @Override
    public List<Device> saveEach(List<Device> devices) {
        if (devices.isEmpty()) {
            return List.of();
        }
        // Rows are locked in name order, so two gateways saving overlapping batches cannot deadlock.
        List<Integer> byName = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            byName.add(i);
        }
        byName.sort(java.util.Comparator.comparing(i -> devices.get(i).name()));
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(connection -> {
                    Device[] stored = new Device[devices.size()];
                    for (int i : byName) {
                        stored[i] = saveIn(connection, devices.get(i));
                    }
                    return List.of(stored);
                });
            } catch (StoreException e) {
                // First saves of one name raced (in this gateway or another sharing the database): the
                // loser's insert broke the unique name, the winner's row is committed; now it updates.
                if (attempt < SAVE_ATTEMPTS && e.getCause() instanceof SQLException sql
                        && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    continue;
                }
                throw e;
            }
        }
    }

    private Device saveIn(Connection connection, Device device) throws SQLException {
        if (device.id() != null) {
            if (findIdForUpdate(connection, "id", device.id()).isPresent()) {
                update(connection, device);
            } else {
                insert(connection, device);
            }
            return device;
        }
        Optional<String> existing = findIdForUpdate(connection, "name", device.name());
        Device stored = device.withId(existing.orElseGet(ids::next));
        if (existing.isPresent()) {
            update(connection, stored);
        } else {
            insert(connection, stored);
        }
        return stored;
    }

    @Override
    public Set<String> saveAll(Collection<Device> devices) {
        if (devices.isEmpty()) {
            return Set.of();
        }
        List<Device> batch = new ArrayList<>(devices);
        for (Device device : batch) {
            if (device.id() == null) {
                throw new IllegalArgumentException("saveAll takes stored devices only: " + device.name());
            }
        }
        // Rows are locked in name order, as saveEach locks them: two gateways sharing a database
        // cannot deadlock on overlapping batches (PostgreSQL aborted one in MultiGatewayIT before).
        batch.sort(java.util.Comparator.comparing(Device::name));
        return inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(table.updateChecked)) {
                for (Device device : batch) {
                    table.bindChecked(update, device);
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                Set<String> saved = new HashSet<>();
                for (int i = 0; i < counts.length; i++) {
                    // SUCCESS_NO_INFO (-2): the driver did not count rows; the update did run.
                    if (counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                        saved.add(batch.get(i).id());
                    }
                }
                return saved;
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM device WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteAll() {
        return inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM device")) {
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int count() {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM device");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    /** The {@code _id}s of every stored device. */
    Set<String> storedIds() {
        return inTransaction(connection -> {
            Set<String> stored = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM device");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
            return stored;
        });
    }

    private Optional<Device> findBy(Connection connection, String column, String value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + table.selectList + " FROM device WHERE " + column + " = ?")) {
            select.setString(1, value);
            List<Device> found = readAll(select);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private Optional<String> findIdForUpdate(Connection connection, String column, String value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM device WHERE " + column + " = ? FOR UPDATE")) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private void insert(Connection connection, Device device) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(table.insert)) {
            table.bindInsert(insert, device, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    private void update(Connection connection, Device device) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(table.updateById)) {
            table.bindUpdate(update, device);
            update.executeUpdate();
        }
    }

    private List<Device> readAll(PreparedStatement select) throws SQLException {
        List<Device> devices = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                devices.add(table.read(rows));
            }
        }
        return devices;
    }

    private <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("device store: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
