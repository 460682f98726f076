package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every gateway bundle stopped and started, then updated from its jar, while simulated devices
 * run: no device forgotten, duplicated or given a new {@code _id}, and a device that appears
 * during the gap is discovered after it. The gap of each swap is printed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {
    private static final Duration SOON = Duration.ofSeconds(40);
    private static final String[] BUNDLES = {"wasmiot.gateway.mdns", "wasmiot.gateway.probe", "wasmiot.gateway.core",
            "wasmiot.gateway.store", "wasmiot.gateway.rest"};
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return GatewayOptions.gateway("hotswap-it");
    }

    @Test
    public void everyBundleSwapsUnderLoadWithoutLosingADevice() throws Exception {
        Dictionary<String, Object> fast = new Hashtable<>();
        fast.put("healthInterval", 1);
        fast.put("goodbyeGrace", 5);
        configurationAdmin.getConfiguration("wasmiot.gateway.discovery", "?").update(fast);
        Http http = new Http("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"));
        // The data folder outlives a run of the suite: start from no devices.
        Await.until("the gateway wiped", SOON, () -> http.delete("/file/device").statusCode() == 200);
        Path logs = Path.of(System.getProperty("wasmiot.it.dir", "target/it"), "hotswap-it");
        try (SimulatorProcess devices = SimulatorProcess.start(logs, 10, "--name-prefix", "swap-")) {
            Map<String, String> ids = awaitListed(http, 10);
            int added = 10;
            for (String symbolicName : BUNDLES) {
                for (boolean update : new boolean[] {false, true}) {
                    Bundle bundle = bundle(symbolicName);
                    long started = System.nanoTime();
                    if (update) {
                        try (InputStream jar = new FileInputStream(jarOf(symbolicName))) {
                            bundle.update(jar);
                        }
                    } else {
                        bundle.stop();
                        devices.command("add 1", "UP"); // a device that appears during the gap
                        added++;
                        bundle.start();
                    }
                    Await.until(symbolicName + " answering again", SOON,
                            () -> http.get("/file/device").statusCode() == 200);
                    long gapMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                    Map<String, String> now = awaitListed(http, added);
                    for (Map.Entry<String, String> before : ids.entrySet()) {
                        assertEquals(symbolicName + (update ? " update" : " restart") + " kept the _id of "
                                + before.getKey(), before.getValue(), now.get(before.getKey()));
                    }
                    ids = now;
                    System.out.printf("hot-swap %s %s: REST back after %d ms, all %d devices listed after %d ms%n",
                            symbolicName, update ? "update" : "stop/start", gapMillis, added,
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
            }
        }
    }

    /** Waits until exactly {@code count} swap- devices are listed, each once and active. */
    private Map<String, String> awaitListed(Http http, int count) {
        return Await.until(count + " devices listed once each, active", SOON, () -> {
            HttpResponse<String> response = http.get("/file/device");
            if (response.statusCode() != 200) {
                return null;
            }
            Map<String, String> ids = new HashMap<>();
            try {
                for (JsonNode device : mapper.readTree(response.body())) {
                    String name = device.get("name").asText();
                    if (!name.startsWith("swap-")) {
                        continue;
                    }
                    assertTrue("listed once: " + name, ids.put(name, device.get("_id").asText()) == null);
                    if (!"active".equals(device.get("status").asText())) {
                        return null;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ids.size() == count ? ids : null;
        });
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static File jarOf(String symbolicName) {
        File[] jars = new File(System.getProperty("wasmiot.runbundles.dir"))
                .listFiles((dir, name) -> name.startsWith(symbolicName + "-"));
        assertNotNull(jars);
        assertEquals(1, jars.length);
        return jars[0];
    }
}
