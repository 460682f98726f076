package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;

import org.junit.Test;

import io.wasmiot.lib.settings.BoundedValues;

/** The store PID's numbers are used within their ranges, and the change is named. */
public class StoreBoundsTest {
    private static StoreConfig config(long connectionTimeoutMillis) {
        return new StoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StoreConfig.class;
            }

            @Override
            public String jdbcUrl() {
                return "jdbc:h2:mem:bounds";
            }

            @Override
            public String user() {
                return "";
            }

            @Override
            public String _password() {
                return "";
            }

            @Override
            public int maxPoolSize() {
                return 8;
            }

            @Override
            public long connectionTimeoutMillis() {
                return connectionTimeoutMillis;
            }

            @Override
            public String gatewayId() {
                return "";
            }
        };
    }

    @Test
    public void aConnectionTimeoutHikariWouldRefuseIsRaisedToItsMinimum() {
        BoundedValues values = new BoundedValues(StoreConfig.PID);
        assertEquals(250, StorePool.connectionTimeoutMillis(config(0), values));
        assertEquals(1, values.changed().size());
        assertTrue(values.changed().get(0), values.changed().get(0).startsWith("connectionTimeoutMillis 0 -> 250"));
    }

    @Test
    public void anEndlessConnectionTimeoutIsLowered() {
        BoundedValues values = new BoundedValues(StoreConfig.PID);
        assertEquals(600_000, StorePool.connectionTimeoutMillis(config(Long.MAX_VALUE), values));
    }

    @Test
    public void aGoodConnectionTimeoutIsKept() {
        BoundedValues values = new BoundedValues(StoreConfig.PID);
        assertEquals(5000, StorePool.connectionTimeoutMillis(config(5000), values));
        assertEquals(List.of(), values.changed());
    }
}
