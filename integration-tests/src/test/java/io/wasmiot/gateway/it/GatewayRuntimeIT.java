package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;

/** The gateway's bundles on Felix: all started, all components satisfied, REST over real HTTP. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayRuntimeIT {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private DeviceStore store;

    @Configuration
    public Option[] config() {
        return GatewayOptions.gateway("runtime-it");
    }

    @Test
    public void everyBundleIsActive() {
        Await.until("every bundle ACTIVE", STARTUP, () -> notActive().isEmpty());
        List<String> names = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName).toList();
        assertTrue(names.containsAll(List.of("wasmiot.gateway.api", "wasmiot.gateway.store", "wasmiot.gateway.cluster",
                "wasmiot.gateway.rest",
                "org.apache.felix.http.jetty12", "org.apache.felix.webconsole", "org.apache.felix.fileinstall")));
    }

    @Test
    public void everyComponentIsSatisfied() {
        Await.until("every DS component satisfied", STARTUP, () -> unsatisfied().isEmpty());
        Set<String> ours = Set.of("io.wasmiot.gateway.store.internal.H2DeviceStore",
                "io.wasmiot.gateway.store.internal.StoreDatabaseSelector",
                "io.wasmiot.gateway.store.internal.StorePoolPublisher",
                "io.wasmiot.gateway.cluster.internal.ClusterSwitch",
                "io.wasmiot.gateway.probe.internal.HttpDeviceProber",
                "io.wasmiot.gateway.mdns.transport.internal.MdnsTransportComponent",
                "io.wasmiot.gateway.mdns.internal.WebthingBrowser",
                "io.wasmiot.gateway.core.internal.DeviceBook",
                "io.wasmiot.gateway.core.internal.SourceIntake",
                "io.wasmiot.gateway.core.internal.HealthSweeper",
                "io.wasmiot.gateway.core.internal.LeaseReconciler",
                "io.wasmiot.gateway.core.internal.OperatorActions",
                "io.wasmiot.gateway.core.internal.CoreMetricsProvider",
                "io.wasmiot.gateway.rest.internal.DeviceServlet",
                "io.wasmiot.gateway.rest.internal.DeviceEventsServlet",
                "io.wasmiot.gateway.rest.internal.GatewayServlet",
                "io.wasmiot.gateway.console.internal.DeviceCommands",
                "io.wasmiot.gateway.console.internal.DevicesPlugin",
                "io.wasmiot.gateway.console.internal.ConsoleCredentials");
        long found = scr.getComponentDescriptionDTOs().stream().filter(d -> ours.contains(d.name)).count();
        assertEquals(ours.size(), found);
    }

    /**
     * On the embedded H2 (one gateway) nothing of the cluster bundle runs: its leases and event relay
     * stay disabled (not unsatisfied), the store's H2 component provides the leases (it owns every
     * device), and the store's pool is published without a credential among its properties.
     */
    @Test
    public void onH2TheClusterBundleStaysOff() throws Exception {
        Await.until("every DS component satisfied", STARTUP, () -> unsatisfied().isEmpty());
        for (String name : List.of("io.wasmiot.gateway.cluster.internal.ClusterLeases",
                "io.wasmiot.gateway.cluster.internal.PgEventRelay")) {
            ComponentDescriptionDTO description = scr.getComponentDescriptionDTOs().stream()
                    .filter(d -> d.name.equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
            assertFalse(name + " disabled on H2", scr.isComponentEnabled(description));
        }
        var leases = context.getServiceReferences(io.wasmiot.gateway.api.cluster.DeviceLeases.class, null);
        assertEquals(1, leases.size());
        assertEquals("wasmiot.gateway.store", leases.iterator().next().getBundle().getSymbolicName());
        var pools = context.getServiceReferences(javax.sql.DataSource.class, null);
        assertEquals(1, pools.size());
        var pool = pools.iterator().next();
        assertEquals("h2", pool.getProperty("dialect"));
        for (String key : pool.getPropertyKeys()) {
            assertFalse("no credential among the pool's properties: " + key,
                    key.toLowerCase(java.util.Locale.ROOT).contains("password"));
        }
    }

    /**
     * REST refuses some requests before reading their bodies (a Content-Type it does not take, a body
     * over the limit): each such answer must leave the connection usable or say it closes it.
     */
    @Test
    public void aRefusalBeforeTheBodyDoesNotLoseTheClientsNextRequest() throws Exception {
        int port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        Http http = new Http("http://127.0.0.1:" + port);
        Await.until("REST answering", STARTUP, () -> http.get("/file/device").statusCode() == 200);
        String register = "POST /file/device/discovery/register HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        KeepAlive.assertAnsweredBeforeTheBodyWithoutLosingTheNextRequest(port,
                register + "Content-Type: text/plain\r\n", "{\"name\":\"x\"}", 415);
        KeepAlive.assertAnsweredBeforeTheBodyWithoutLosingTheNextRequest(port,
                register + "Content-Type: application/json\r\n", "{\"name\":\"" + "x".repeat(70_000) + "\"}", 413);
    }

    @Test
    public void restServesTheStoredDevices() throws Exception {
        Http http = new Http("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"));
        store.deleteAll();
        Device alpha = store.save(device("alpha"));
        Device beta = store.save(device("beta"));

        HttpResponse<String> list = Await.until("REST answering", STARTUP, () -> {
            HttpResponse<String> response = http.get("/file/device");
            return response.statusCode() == 200 ? response : null;
        });
        assertEquals("application/json", list.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode devices = mapper.readTree(list.body());
        assertEquals(2, devices.size());
        assertEquals(alpha.id(), devices.get(0).get("_id").asText());
        assertEquals("beta", devices.get(1).get("name").asText());
        assertEquals(16000000000L, devices.get(0).at("/description/platform/memory/bytes").asLong());
        assertEquals("active", devices.get(0).get("status").asText());
        assertEquals(5000, devices.get(0).at("/communication/port").asInt());

        HttpResponse<String> byId = http.get("/file/device/" + beta.id());
        assertEquals(200, byId.statusCode());
        assertEquals("beta", mapper.readTree(byId.body()).get("name").asText());
        HttpResponse<String> byName = http.get("/file/device/alpha");
        assertEquals(alpha.id(), mapper.readTree(byName.body()).get("_id").asText());

        HttpResponse<String> missing = http.get("/file/device/nope");
        assertEquals(404, missing.statusCode());
        assertTrue(mapper.readTree(missing.body()).get("error").asText().contains("nope"));

        assertEquals(204, http.delete("/file/device/alpha").statusCode());
        assertEquals(404, http.delete("/file/device/alpha").statusCode());
        HttpResponse<String> wipe = http.delete("/file/device");
        assertEquals(200, wipe.statusCode());
        assertEquals(1, mapper.readTree(wipe.body()).get("deletedCount").asInt());
        assertEquals("[]", http.get("/file/device").body());
        assertFalse(store.findByName("beta").isPresent());
    }

    @Test
    public void theWebConsoleNeverKeepsTheDefaultPassword() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of(context.getProperty("wasmiot.data.dir"), "console-password");
        String password = Await.until("a generated console password", STARTUP,
                () -> java.nio.file.Files.isRegularFile(file) ? readQuietly(file) : null);
        assertTrue(password.length() >= 20);
        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/system/console/bundles";
        Http http = new Http("");
        Await.until("the console taking the generated password", STARTUP,
                () -> http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base))
                        .header("Authorization", basic("admin", password))).statusCode() == 200);
        assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base))
                .header("Authorization", basic("admin", "admin"))).statusCode());
    }

    private static String readQuietly(java.nio.file.Path file) {
        try {
            String text = java.nio.file.Files.readString(file).strip();
            return text.isEmpty() ? null : text;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    public void shellCommandsListAndForgetDevices() throws Exception {
        store.deleteAll();
        Device gamma = store.save(device("gamma"));
        CommandProcessor processor = Await.until("the Gogo command processor", STARTUP, () -> {
            var reference = context.getServiceReference(CommandProcessor.class);
            return reference == null ? null : context.getService(reference);
        });
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new java.io.ByteArrayInputStream(new byte[0]), print, print);
        try {
            String table = String.valueOf(session.execute("wasmiot:devices"));
            assertTrue(table, table.contains("gamma") && table.contains("active") && table.contains(gamma.id())
                    && table.contains("127.0.0.1:5000"));
            String one = String.valueOf(session.execute("wasmiot:device gamma"));
            assertTrue(one, one.contains("introduced") && one.contains("16000000000"));
            assertEquals("forgot gamma (" + gamma.id() + ")", session.execute("wasmiot:forget gamma"));
            assertFalse(store.findByName("gamma").isPresent());
            assertEquals("no device with _id or name 'gamma'", session.execute("wasmiot:forget gamma"));
        } finally {
            session.close();
        }
    }

    @Test
    public void shellUpdateCommandsRefuseAWrongHashAndShowWhatRuns() throws Exception {
        CommandProcessor processor = Await.until("the Gogo command processor", STARTUP, () -> {
            var reference = context.getServiceReference(CommandProcessor.class);
            return reference == null ? null : context.getService(reference);
        });
        java.io.File probe = Swaps.jarOf("wasmiot.gateway.probe");
        String probeSha256 = BundleJars.sha256(probe.toPath());
        java.io.PrintStream print = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
                java.nio.charset.StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new java.io.ByteArrayInputStream(new byte[0]), print, print);
        try {
            long lastModified = bundleNamed("wasmiot.gateway.probe").getLastModified();
            String refused = String.valueOf(session.execute("wasmiot:update wasmiot.gateway.probe '"
                    + probe.getAbsolutePath() + "' " + "f".repeat(64)));
            assertTrue(refused, refused.startsWith("REFUSED (nothing changed): SHA-256 mismatch")
                    && refused.contains(probeSha256));
            assertEquals("the probe untouched", lastModified, bundleNamed("wasmiot.gateway.probe").getLastModified());
            String journal = String.valueOf(session.execute("wasmiot:updates"));
            assertTrue(journal, journal.contains("REFUSED") && journal.contains("wasmiot.gateway.probe"));
            String inventory = String.valueOf(session.execute("wasmiot:bundles"));
            assertTrue("the probe's jar, hashed where Felix keeps it: " + inventory, inventory.lines().anyMatch(
                    line -> line.contains("wasmiot.gateway.probe") && line.contains(probeSha256)));
        } finally {
            session.close();
        }
    }

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static Device device(String name) {
        return Device.introduced(name, new Communication(List.of("127.0.0.1"), 5000),
                "{\"platform\":{\"memory\":{\"bytes\":16000000000}}}", "mdns", Instant.now());
    }

    private List<String> notActive() {
        List<String> waiting = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                waiting.add(bundle.getSymbolicName());
            }
        }
        return waiting;
    }

    private List<String> unsatisfied() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.defaultEnabled) {
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty() && !"require".equals(description.configurationPolicy)) {
                problems.add(description.name + ": no configuration");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE
                        && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + ": state " + configuration.state);
                }
            }
        }
        return problems;
    }
}
