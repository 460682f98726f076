package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The store's password, the REST API token and the update service's token and trust store password
 * are configured under private keys ({@code .password}, {@code .apiToken}, {@code .trustStorePassword}): DS never publishes them as service properties, where every bundle and the web
 * console's services page would read them. Checked on every service the framework knows, with both
 * secrets in force (the token guards changes, the store opened a database with the password).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecretsIT {
    private static final Duration SOON = Duration.ofSeconds(60);
    private static final String TOKEN = "tok-3f9a1c-not-to-be-published";
    private static final String PASSWORD = "pw-7d2e44-not-to-be-published";
    private static final String UPDATE_TOKEN = "upd-81c0b2-not-to-be-published";
    private static final String TRUST_STORE_PASSWORD = "ts-5e93aa-not-to-be-published";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return GatewayOptions.gateway("secrets-it");
    }

    private static Dictionary<String, Object> properties(Object... keysAndValues) {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    public void passwordAndApiTokenAreNeverServiceProperties() throws Exception {
        Http http = new Http("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"));
        configurationAdmin.getConfiguration("wasmiot.gateway.rest", "?").update(properties(".apiToken", TOKEN));
        // A database of its own, created with the password (the default one has none).
        configurationAdmin.getConfiguration("wasmiot.gateway.store", "?").update(properties(".password", PASSWORD,
                "jdbcUrl", "jdbc:h2:mem:secrets-it;DB_CLOSE_DELAY=-1"));
        configurationAdmin.getConfiguration("wasmiot.gateway.update", "?").update(properties(
                ".apiToken", UPDATE_TOKEN, ".trustStorePassword", TRUST_STORE_PASSWORD));
        Await.until("the token in force", SOON,
                () -> http.post("/file/device/nobody/blacklist", "application/json", "").statusCode() == 401);
        Await.until("the update service's token in force (403 without one)", SOON,
                () -> http.post("/gateway/updates", "application/java-archive", "").statusCode() == 401);
        Await.until("the store on its new database", SOON, () -> {
            ServiceReference<?> store = context.getServiceReference("io.wasmiot.gateway.api.store.DeviceStore");
            return store != null && String.valueOf(store.getProperty("jdbcUrl")).startsWith("jdbc:h2:mem:secrets-it");
        });
        // REST binds the new store a moment after it is registered (a 503 meanwhile)
        Await.until("REST reads with the store back", SOON, () -> http.get("/file/device").statusCode() == 200);

        List<String> published = new ArrayList<>();
        ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
        for (ServiceReference<?> reference : all) {
            for (String key : reference.getPropertyKeys()) {
                String value = text(reference.getProperty(key));
                if (value.contains(TOKEN) || value.contains(PASSWORD) || value.contains(UPDATE_TOKEN)
                        || value.contains(TRUST_STORE_PASSWORD)) {
                    published.add(text(reference.getProperty("objectClass")) + key);
                }
            }
        }
        assertTrue("looked at the services: " + all.length, all.length > 20);
        assertEquals("service properties that carry a secret", List.of(), published);
    }

    private static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                text.append(Array.get(value, i)).append(' ');
            }
            return text.toString();
        }
        return String.valueOf(value);
    }
}
