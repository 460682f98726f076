package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;

/**
 * The JDBC URL enables the store component of its database (the relay is the cluster bundle's now);
 * a stopping selector leaves the store components to SCR.
 */
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

    /**
     * A bundle stop (an update) disposes the store components itself. A disable asked from this
     * component's deactivation took the store component out of SCR's reach while SCR, the bundle
     * stopping, dropped the task that would have disposed it: whenever SCR stopped the selector
     * first, the store component was never disposed and kept its replaced bundle revision reachable.
     * Whatever SCR calls at deactivation (the method the generated descriptor names, or
     * {@code deactivate} by default) must disable nothing.
     */
    @Test
    public void stoppingTheSelectorDisablesNothing() throws Exception {
        StoreDatabaseSelector selector = new StoreDatabaseSelector(config("jdbc:h2:mem:x"), context);
        calls.clear();
        String deactivate = deactivateMethodName();
        for (Method method : StoreDatabaseSelector.class.getDeclaredMethods()) {
            if (method.getName().equals(deactivate)) {
                method.setAccessible(true);
                method.invoke(selector, deactivationArguments(method));
            }
        }
        assertEquals(List.of(), calls);
    }

    /** From the DS descriptor bnd generates at process-classes (DS default: {@code deactivate}). */
    private static String deactivateMethodName() throws Exception {
        String descriptor = "OSGI-INF/" + StoreDatabaseSelector.class.getName() + ".xml";
        try (InputStream xml = StoreDatabaseSelectorTest.class.getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(descriptor + " (written by bnd-maven-plugin into target/classes)", xml);
            String named = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
                    .getDocumentElement().getAttribute("deactivate");
            return named.isEmpty() ? "deactivate" : named;
        }
    }

    private Object[] deactivationArguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == int.class || types[i] == Integer.class) {
                arguments[i] = ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED;
            } else if (types[i] == ComponentContext.class) {
                arguments[i] = context;
            } else if (types[i] == StoreConfig.class) {
                arguments[i] = config("jdbc:h2:mem:x");
            }
        }
        return arguments;
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
