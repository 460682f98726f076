package io.wasmiot.gateway.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * The cluster bundle's tests run on the store itself: its schema (the lease columns and the gateway
 * table are the store's), its pools and the store's {@link TestDatabase} (an H2 file, or a fresh
 * schema on the PostgreSQL of bin/with-postgres). This class is in the store's package (its test
 * jar is on the class path) to reach what the store keeps package-private.
 */
public final class StoreFixture implements AutoCloseable {
    private final TestDatabase db;

    private StoreFixture(TestDatabase db) {
        this.db = db;
    }

    /** @param database {@code h2} or {@code postgresql} (skipped without a server, failed under CI) */
    public static StoreFixture of(String database, Path folder) {
        return new StoreFixture(TestDatabase.of(database, folder));
    }

    public boolean postgres() {
        return db.dialect == Dialect.POSTGRESQL;
    }

    /** One gateway's store: its own pool, the schema migrated. */
    public OpenStore store(String gatewayId) {
        return new OpenStore(db.store(gatewayId));
    }

    /** A store that logs in as another role of the test server. */
    public OpenStore store(String gatewayId, String user, String password) {
        return new OpenStore(db.store(gatewayId, user, password));
    }

    public String schema() {
        return db.schema();
    }

    public Connection connect() throws SQLException {
        return db.connect();
    }

    public static Device device(String name, String... addresses) {
        return JdbcDeviceStoreTest.device(name, addresses);
    }

    @Override
    public void close() {
        db.close();
    }

    /** A store and the pool it would publish as a DataSource service. */
    public static final class OpenStore implements AutoCloseable {
        private final JdbcDeviceStore store;

        OpenStore(JdbcDeviceStore store) {
            this.store = store;
        }

        public DeviceStore store() {
            return store;
        }

        public DataSource pool() {
            return store.dataSource();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
