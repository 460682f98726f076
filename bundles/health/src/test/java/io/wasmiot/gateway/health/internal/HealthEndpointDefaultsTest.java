package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;

public class HealthEndpointDefaultsTest {
    private final List<Dictionary<String, Object>> updates = new ArrayList<>();

    /** A configuration holding {@code properties} (null: never set) that records each update. */
    private Configuration configuration(Dictionary<String, Object> properties) {
        Dictionary<?, ?>[] current = {properties};
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> current[0] == null ? null : copy(current[0]);
                    case "getPid" -> "test.pid";
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> given = (Dictionary<String, Object>) args[0];
                        updates.add(given);
                        current[0] = copy(given);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Dictionary<String, Object> copy(Dictionary<?, ?> from) {
        Hashtable<String, Object> to = new Hashtable<>();
        for (var keys = from.keys(); keys.hasMoreElements(); ) {
            Object key = keys.nextElement();
            to.put((String) key, from.get(key));
        }
        return to;
    }

    @Test
    public void aNewConfigurationGetsEveryDefault() throws Exception {
        List<String> added = HealthEndpointDefaults.complete(configuration(null), HealthEndpointDefaults.SERVLET);
        assertEquals(List.of("allowed.formats", "cors.accessControlAllowOrigin", "format", "httpStatusMapping",
                "servletPath"), added);
        assertEquals(1, updates.size());
        assertEquals("/system/health", updates.get(0).get("servletPath"));
        assertArrayEquals(new String[] {"json"}, (String[]) updates.get(0).get("allowed.formats"));
    }

    @Test
    public void whatTheOperatorSetIsKeptAndOnlyMissingKeysAreAdded() throws Exception {
        Hashtable<String, Object> operators = new Hashtable<>();
        operators.put("defaultTags", new String[] {"readiness"});
        operators.put("timeoutInMs", 5000L);
        List<String> added = HealthEndpointDefaults.complete(configuration(operators), HealthEndpointDefaults.EXECUTOR);
        assertEquals(List.of("resultCacheTtlInMs"), added);
        assertEquals(5000L, updates.get(0).get("timeoutInMs"));
        assertArrayEquals(new String[] {"readiness"}, (String[]) updates.get(0).get("defaultTags"));
    }

    private static org.osgi.framework.ServiceReference<ConfigurationAdmin> adminReference() {
        return References.any();
    }

    @Test
    public void aFileThatReplacesTheServletsConfigurationIsCompletedAgain() throws Exception {
        Hashtable<String, Object> fromFile = new Hashtable<>();
        fromFile.put("servletPath", "/healthz");
        Configuration servlet = configuration(fromFile);
        Configuration other = configuration(new Hashtable<>());
        ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration")) {
                        return args[0].equals(HealthEndpointDefaults.SERVLET_FACTORY_PID + "~wasmiot") ? servlet : other;
                    }
                    if (method.getName().startsWith("getFactoryConfiguration")) {
                        return configuration(null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        HealthEndpointDefaults defaults = new HealthEndpointDefaults(admin);
        updates.clear();
        defaults.configurationEvent(new ConfigurationEvent(adminReference(), ConfigurationEvent.CM_UPDATED,
                HealthEndpointDefaults.SERVLET_FACTORY_PID, HealthEndpointDefaults.SERVLET_FACTORY_PID + "~wasmiot"));
        assertEquals(1, updates.size());
        assertEquals("the file's path is kept", "/healthz", updates.get(0).get("servletPath"));
        assertEquals("json", updates.get(0).get("format"));
        defaults.configurationEvent(new ConfigurationEvent(adminReference(), ConfigurationEvent.CM_UPDATED,
                HealthEndpointDefaults.SERVLET_FACTORY_PID, HealthEndpointDefaults.SERVLET_FACTORY_PID + "~other"));
        defaults.configurationEvent(new ConfigurationEvent(adminReference(), ConfigurationEvent.CM_UPDATED, null, "wasmiot.gateway.rest"));
        assertEquals("another servlet configuration or PID is not touched", 1, updates.size());
    }

    @Test
    public void aCompleteConfigurationIsNotWrittenAgain() throws Exception {
        Configuration configuration = configuration(null);
        HealthEndpointDefaults.complete(configuration, HealthEndpointDefaults.THREAD_POOL);
        assertEquals(List.of(), HealthEndpointDefaults.complete(configuration, HealthEndpointDefaults.THREAD_POOL));
        assertEquals("one update: the second call found every key", 1, updates.size());
    }
}
