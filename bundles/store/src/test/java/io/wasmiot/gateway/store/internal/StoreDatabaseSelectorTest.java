package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.osgi.service.component.ComponentContext;

/** The JDBC URL enables the store component of its database (the relay is the cluster bundle's now). */
public class StoreDatabaseSelectorTest {
    private static final String H2 = H2DeviceStore.class.getName();
    private static final String PG = PostgresDeviceStore.class.getName();

    private final List<String> calls = new ArrayList<>();
    private final ComponentContext context = (ComponentContext) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ComponentContext.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "enableComponent" -> calls.add("+" + args[0]);
                    case "disableComponent" -> calls.add("-" + args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });

    static StoreConfig config(String jdbcUrl) {
        return (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(),
                new Class<?>[] {StoreConfig.class},
                (proxy, method, args) -> "jdbcUrl".equals(method.getName()) ? jdbcUrl : method.getDefaultValue());
    }

    @Test
    public void anH2UrlEnablesTheH2StoreOnly() {
        new StoreDatabaseSelector(config("jdbc:h2:${wasmiot.data.dir}/devices"), context);
        assertEquals(List.of("-" + PG, "+" + H2), calls);
    }

    @Test
    public void aPostgresUrlEnablesThePostgresStoreAfterDisablingTheOther() {
        StoreDatabaseSelector selector = new StoreDatabaseSelector(config("jdbc:h2:mem:x"), context);
        calls.clear();
        selector.modified(config(" jdbc:postgresql://db:5432/wasmiot"));
        assertEquals(List.of("-" + H2, "+" + PG), calls);
    }

    @Test
    public void anUnsupportedUrlLeavesNoStore() {
        new StoreDatabaseSelector(config("jdbc:mysql://db/wasmiot"), context);
        assertEquals(List.of("-" + H2, "-" + PG), calls);
    }

    @Test
    public void aStoreComponentReachedByTheOtherDatabasesUrlStopsBeforeOpeningAnything() {
        try {
            JdbcDeviceStore.checked(Dialect.H2, config("jdbc:postgresql://db:5432/wasmiot"));
            throw new AssertionError("an H2 store accepted a PostgreSQL URL");
        } catch (IllegalStateException expected) {
            assertEquals("jdbcUrl names POSTGRESQL, not H2: this store component stays off "
                    + "(StoreDatabaseSelector enables the POSTGRESQL one)", expected.getMessage());
        }
        StoreConfig h2 = config("jdbc:h2:mem:x");
        assertSame(h2, JdbcDeviceStore.checked(Dialect.H2, h2));
    }
}
