package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.postgresql.ds.common.BaseDataSource;

import io.wasmiot.gateway.api.store.StoreException;

/** The data sources the drivers' factories make carry the store's bounds and settings. */
public class StorePoolTest {
    @Test
    public void aPostgresDataSourceHasTheConnectionTimeoutInSecondsAndASocketTimeout() throws Exception {
        BaseDataSource pg = (BaseDataSource) StorePool.dataSource(TestDatabase.postgresDriver(),
                "jdbc:postgresql://127.0.0.1:1/nowhere", "wasmiot", "secret", 2500);
        assertEquals(3, pg.getConnectTimeout());
        assertEquals(3, pg.getLoginTimeout());
        assertEquals(StorePool.SOCKET_TIMEOUT_SECONDS, pg.getSocketTimeout());
        assertTrue(pg.getTcpKeepAlive());
        assertEquals("wasmiot-gateway", pg.getApplicationName());
        assertEquals("wasmiot", pg.getUser());
        assertEquals("secret", pg.getPassword());
    }

    @Test
    public void anH2DataSourceKeepsItsDatabaseOpenUntilTheStoreClosesIt() throws Exception {
        org.h2.jdbcx.JdbcDataSource h2 = (org.h2.jdbcx.JdbcDataSource) StorePool.dataSource(TestDatabase.h2Driver(), "jdbc:h2:mem:pool-test", "", "",
                1000);
        assertEquals("jdbc:h2:mem:pool-test;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", h2.getURL());
    }

    @Test
    public void theUrlWithoutParametersIsLogged() {
        assertEquals("jdbc:postgresql://db/x?...", StorePool.safeUrl("jdbc:postgresql://db/x?password=secret"));
    }

    /** (Was in DeviceLeasesTest, run once there; the lease tests moved to the cluster bundle.) */
    @Test
    public void anUnreachableServerFailsFastWithItsAddress() {
        long started = System.nanoTime();
        try {
            // port 1 on loopback: nobody listens, the connect is refused at once
            StorePool.open(TestDatabase.postgresDriver(), "jdbc:postgresql://127.0.0.1:1/nowhere?password=secret", "u", "p", 2, 2000)
                    .close();
            fail("opened a pool on a closed port");
        } catch (StoreException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("jdbc:postgresql://127.0.0.1:1/nowhere"));
            assertFalse("no password in messages", expected.getMessage().contains("secret"));
        }
        assertTrue("within the connection timeout", System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }
}
