package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.zaxxer.hikari.HikariDataSource;

/** The pool as the store publishes it: pooled connections, no way to the pool or the driver's data source. */
public class PublishedPoolTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void handsOutPooledConnectionsAndNothingElse() throws Exception {
        try (HikariDataSource pool = TestDatabase.h2(folder.getRoot().toPath()).pool(2)) {
            DataSource published = new PublishedPool(pool);
            try (Connection connection = published.getConnection()) {
                assertTrue(connection.isValid(1));
                // the driver's connection stays reachable (the relay's LISTEN needs PostgreSQL's)
                assertTrue(connection.isWrapperFor(org.h2.jdbc.JdbcConnection.class));
            }
            assertFalse(published.isWrapperFor(HikariDataSource.class));
            assertFalse(published.isWrapperFor(org.h2.jdbcx.JdbcDataSource.class));
            for (Class<?> inner : new Class<?>[] {HikariDataSource.class, org.h2.jdbcx.JdbcDataSource.class}) {
                try {
                    published.unwrap(inner);
                    fail("unwrapped to " + inner.getName());
                } catch (SQLException expected) {
                    assertEquals("the store's pool unwraps to nothing else", expected.getMessage());
                }
            }
            try {
                published.getConnection("sa", "other");
                fail("another login through the store's pool");
            } catch (SQLException expected) {
                assertTrue(expected.getMessage().contains("configured user only"));
            }
        }
    }
}
