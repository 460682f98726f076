package io.wasmiot.gateway.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.wasmiot.gateway.api.Device;
import io.wasmiot.gateway.api.DeviceLeases;
import io.wasmiot.gateway.api.DeviceStore;
import io.wasmiot.gateway.api.LeaseRound;
import io.wasmiot.gateway.api.StoreException;
import io.wasmiot.lib.settings.BoundedValues;

/**
 * {@link DeviceStore} and {@link DeviceLeases} on JDBC (embedded H2, or PostgreSQL shared by several
 * gateways), one connection pool for both. The schema is created or migrated on activation; every
 * public method is one transaction. A configuration change reactivates the component, reopening the pool.
 */
@Component(service = {DeviceStore.class, DeviceLeases.class}, configurationPid = StoreConfig.PID)
@Designate(ocd = StoreConfig.class)
public class JdbcDeviceStore implements DeviceStore, DeviceLeases {
    static final String DATA_DIR_PROPERTY = "wasmiot.data.dir";
    static final int MAX_POOL_SIZE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDeviceStore.class);
    /** SQLSTATE of a unique constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** No statement waits longer than this for a PostgreSQL server's answer. */
    static final int SOCKET_TIMEOUT_SECONDS = 60;
    /** A first save of one name by several gateways at once: each loser retries as an update. */
    private static final int SAVE_ATTEMPTS = 3;

    private final HikariDataSource pool;
    private final String gatewayId;
    private final LeaseRounds leases;
    private final IdGenerator ids = new IdGenerator();
    private final DeviceTable table = new DeviceTable(new JsonColumns());
    /** Owned count of the last lease round, -1 before the first: a change is logged at INFO. */
    private final AtomicInteger lastOwned = new AtomicInteger(-1);

    /** Set when SCR made this store: it enables the event relay on PostgreSQL. */
    private ComponentContext component;

    @Activate
    public JdbcDeviceStore(StoreConfig config, Map<String, Object> properties, BundleContext context,
                           ComponentContext component) {
        // the id first: a failure there leaves no pool open
        this(GatewayIds.resolve(config.gatewayId(), dataDir(context.getProperty(DATA_DIR_PROPERTY))),
                openPool(config, StoreSecrets.password(config, properties, LOG), context.getProperty(DATA_DIR_PROPERTY)));
        // The relay is disabled by default rather than unsatisfied: on H2 (one gateway) there is
        // nobody to relay to, and a console showing it as unsatisfied would look like a fault.
        if (Dialect.ofUrl(pool.getJdbcUrl()) == Dialect.POSTGRESQL) {
            this.component = component;
            component.enableComponent(PgEventRelay.class.getName());
        }
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
        this.leases = new LeaseRounds(Dialect.ofUrl(pool.getJdbcUrl()), gatewayId);
        LOG.info("Device store open on {} ({} devices); gateway id {}", safeUrl(pool.getJdbcUrl()), count(),
                gatewayId);
    }

    @Deactivate
    void close() {
        if (component != null) {
            component.disableComponent(PgEventRelay.class.getName());
        }
        pool.close();
        LOG.info("Device store closed");
    }

    static Path dataDir(String dataDirProperty) {
        return Path.of(dataDirProperty == null || dataDirProperty.isBlank() ? "./data" : dataDirProperty)
                .toAbsolutePath().normalize();
    }

    static String resolveUrl(String jdbcUrl, String dataDirProperty) {
        return jdbcUrl.strip().replace("${" + DATA_DIR_PROPERTY + "}", dataDir(dataDirProperty).toString());
    }

    static HikariDataSource openPool(StoreConfig config, String password, String dataDirProperty) {
        BoundedValues values = new BoundedValues(StoreConfig.PID);
        int maxPoolSize = values.within("maxPoolSize", config.maxPoolSize(), 1, MAX_POOL_SIZE);
        long connectionTimeoutMillis = connectionTimeoutMillis(config, values);
        values.warn(LOG::warn);
        return openPool(resolveUrl(config.jdbcUrl(), dataDirProperty), config.user(), password, maxPoolSize,
                connectionTimeoutMillis);
    }

    /** HikariCP takes no connection timeout below 250 ms; above ten minutes a request would wait on for nothing. */
    static long connectionTimeoutMillis(StoreConfig config, BoundedValues values) {
        return values.within("connectionTimeoutMillis", config.connectionTimeoutMillis(), 250, 600_000);
    }

    static HikariDataSource openPool(String url, String user, String password, int maxPoolSize,
                                     long connectionTimeoutMillis) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("wasmiot-store");
        hikari.setDataSource(dataSourceFor(url, user, password, connectionTimeoutMillis));
        hikari.setJdbcUrl(url); // for logging and the dialect only: the data source above does the connecting
        hikari.setMaximumPoolSize(maxPoolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(connectionTimeoutMillis);
        hikari.setAutoCommit(false);
        try {
            // fails fast (HikariCP's initializationFailTimeout) when the first connection cannot be made
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
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

    static DataSource dataSourceFor(String url, String user, String password, long connectionTimeoutMillis) {
        if (Dialect.ofUrl(url) == Dialect.POSTGRESQL) {
            org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
            pg.setURL(url);
            if (user != null && !user.isBlank()) {
                pg.setUser(user);
            }
            if (password != null && !password.isEmpty()) {
                pg.setPassword(password);
            }
            int seconds = (int) Math.max(1, (connectionTimeoutMillis + 999) / 1000);
            pg.setConnectTimeout(seconds); // an unreachable server fails the activation, not hangs it
            pg.setLoginTimeout(seconds);
            pg.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
            pg.setTcpKeepAlive(true);
            pg.setApplicationName("wasmiot-gateway");
            return pg;
        }
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        // The gateway closes the database on deactivate; H2's own shutdown hook would close it
        // under the feet of components still stopping.
        String withOptions = url.contains("DB_CLOSE_ON_EXIT") ? url : url + ";DB_CLOSE_ON_EXIT=FALSE";
        // H2's default WRITE_DELAY (500 ms) acknowledges a commit before it is in the file: a kill -9
        // lost devices the gateway had listed (RestartIT). Health results are written in batches,
        // so writing each commit at once costs few file writes.
        h2.setURL(withOptions.contains("WRITE_DELAY") ? withOptions : withOptions + ";WRITE_DELAY=0");
        h2.setUser(user);
        h2.setPassword(password);
        return h2;
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
        return inTransaction(connection -> {
            List<Device> batch = new ArrayList<>(devices);
            try (PreparedStatement update = connection.prepareStatement(table.updateChecked)) {
                for (Device device : batch) {
                    if (device.id() == null) {
                        throw new IllegalArgumentException("saveAll takes stored devices only: " + device.name());
                    }
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

    // ---- leases -----------------------------------------------------------------------------------

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public LeaseRound renew(Duration leaseTime) {
        if (leaseTime.isNegative()) {
            throw new IllegalArgumentException("negative lease time: " + leaseTime);
        }
        LeaseRound round = inTransaction(connection -> leases.renew(connection, leaseTime.toMillis()));
        int owned = round.ownedIds().size();
        int before = lastOwned.getAndSet(owned);
        if (before != owned) {
            LOG.info("Leases: gateway {} now checks {} of {} devices (live gateways: {}; was {})", gatewayId, owned,
                    round.storedIds().size(), round.liveGateways(), before < 0 ? "none" : before);
        } else {
            LOG.debug("Leases: gateway {} renewed {} of {} devices (live gateways: {})", gatewayId, owned,
                    round.storedIds().size(), round.liveGateways());
        }
        return round;
    }

    @Override
    public void releaseAll() {
        inTransaction(connection -> {
            leases.releaseAll(connection);
            return null;
        });
        lastOwned.set(-1);
        LOG.info("Leases: gateway {} released all its devices", gatewayId);
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
