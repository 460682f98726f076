package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link MultiGatewayIT}'s ordered methods share: three real gateway processes on one fresh
 * PostgreSQL database (from bin/with-postgres, dropped at the end), the simulated devices they all
 * browse, and what the tests read of them: each gateway's listing, the leases in the database, the
 * checks each device counted, the URL it was told, event streams, and updates through the update
 * service.
 */
public abstract class MultiGatewayFixture {
    static final int HEALTH_INTERVAL_SECONDS = 2;
    /** What the core asks for: three health intervals. */
    static final Duration LEASE = Duration.ofSeconds(3L * HEALTH_INTERVAL_SECONDS);
    static final int DEVICES = 12;
    static final Duration SOON = Duration.ofSeconds(40);
    static final String CLUSTER = "wasmiot.gateway.cluster";
    static final String STORE = "wasmiot.gateway.store";
    private static final String UPDATE_TOKEN = "it-multi-update";
    static final int UPDATE_GATE_SECONDS = 5;

    private static String adminUrl;
    private static String user;
    private static String password;
    private static String database;
    private static String url;
    static final Map<String, GatewayProcess> gateways = new TreeMap<>();
    static SimulatorProcess simulator;
    static SimulatorProcess registerOnly;

    @BeforeClass
    public static void start() throws SQLException {
        adminUrl = System.getenv("WASMIOT_TEST_PG_URL");
        if (adminUrl == null || adminUrl.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("WASMIOT_TEST_PG_URL is not set: bin/test starts PostgreSQL (bin/with-postgres)");
            }
            assumeTrue("no PostgreSQL for the tests (WASMIOT_TEST_PG_URL unset): run through bin/test", false);
        }
        user = System.getenv().getOrDefault("WASMIOT_TEST_PG_USER", "");
        password = System.getenv().getOrDefault("WASMIOT_TEST_PG_PASSWORD", "");
        database = "multigw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
        for (String id : List.of("gw-a", "gw-b", "gw-c")) {
            GatewayProcess gateway = GatewayProcess.start("multi-" + id, config(id));
            gateways.put(id, gateway);
            // listening from the start, before this gateway has any event of its own to send
            Await.until(id + " relaying events", Duration.ofSeconds(30),
                    () -> gateway.log().contains("Event relay: gateway " + id + " sends and receives"));
        }
        simulator = SimulatorProcess.start(gateways.get("gw-a").dir, DEVICES, "--name-prefix", "mg-");
    }

    private static GatewayProcess.Config config(String gatewayId) {
        return new GatewayProcess.Config()
                .set("wasmiot.gateway.store", "jdbcUrl", url)
                .set("wasmiot.gateway.store", "user", user)
                .set("wasmiot.gateway.store", ".password", password)
                .set("wasmiot.gateway.store", "gatewayId", gatewayId)
                // gateways on one network would list each other's self-advertisement as a device
                .set("wasmiot.gateway.mdns", "advertiseSelf", false)
                .set("wasmiot.gateway.discovery", "healthInterval", HEALTH_INTERVAL_SECONDS)
                .set("wasmiot.gateway.discovery", "failuresBeforeInactive", 2)
                .set("wasmiot.gateway.discovery", "successesBeforeActive", 2)
                .set("wasmiot.gateway.discovery", "forgetAfter", 120)
                .set("wasmiot.gateway.discovery", "introductionBackoffMillis", 200)
                .set("wasmiot.gateway.probe", "connectTimeoutMillis", 500)
                .set("wasmiot.gateway.probe", "readTimeoutMillis", 1000)
                // the cluster and store bundles' updates on one gateway (da_): through the update service, gated
                .set("wasmiot.gateway.update", ".apiToken", UPDATE_TOKEN)
                .set("wasmiot.gateway.update", "gateSeconds", UPDATE_GATE_SECONDS);
    }

    @AfterClass
    public static void stop() throws SQLException {
        if (simulator != null) {
            simulator.close();
        }
        if (registerOnly != null) {
            registerOnly.close();
        }
        gateways.values().forEach(GatewayProcess::close);
        if (database != null && adminUrl != null) {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    static String name(int index) {
        return String.format("mg-%04d", index);
    }

    /** name → _id as one gateway lists them. */
    static Map<String, String> listing(GatewayProcess gateway) {
        Map<String, String> ids = new TreeMap<>();
        for (JsonNode device : gateway.devices()) {
            ids.put(device.get("name").asText(), device.get("_id").asText());
        }
        return ids;
    }

    static Map<String, String> owners() {
        Map<String, String> owners = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, lease_owner FROM device")) {
            while (rows.next()) {
                owners.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return owners;
    }

    static long checks(String name) {
        String answer = simulator.command("checks " + name, "CHECKS " + name + " ");
        return Long.parseLong(answer.substring(answer.lastIndexOf(' ') + 1));
    }

    /** The gateway URL the device was last told with {@code POST /register}, {@code -} before any. */
    private static String toldUrl(String device) {
        String answer = simulator.command("gateway " + device, "GATEWAY " + device + " ");
        return answer.substring(answer.lastIndexOf(' ') + 1);
    }

    static boolean toldUrlOf(String device, String gatewayId) {
        return toldUrl(device).equals("http://127.0.0.1:" + gateways.get(gatewayId).port);
    }

    /** Updates {@code bundle} on {@code gateway} through its update service; the seconds to the committed answer. */
    static double update(GatewayProcess gateway, String bundle) throws Exception {
        Path jars = Path.of(System.getProperty("wasmiot.it.dir", "target/it")).toAbsolutePath().resolve("multi-jars");
        Path jar = BundleJars.copyWith(BundleJars.runBundle(bundle), jars, bundle + "-multi.jar",
                Map.of("Bundle-Version", "0.1.0.multi1"), Map.of());
        long started = System.nanoTime();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port + "/gateway/updates"))
                .timeout(Duration.ofSeconds(UPDATE_GATE_SECONDS + 60))
                .header("Authorization", "Bearer " + UPDATE_TOKEN)
                .header("Content-Type", "application/java-archive")
                .header("X-Bundle", bundle)
                .header("X-Sha256", BundleJars.sha256(jar))
                .header("X-Operator", "MultiGatewayIT")
                .POST(HttpRequest.BodyPublishers.ofFile(jar)).build(), HttpResponse.BodyHandlers.ofString());
        double decided = (System.nanoTime() - started) / 1e9;
        assertEquals(answer.body(), 200, answer.statusCode());
        assertEquals(answer.body(), "COMMITTED", GatewayProcess.json(answer).path("step").asText());
        return decided;
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    static List<String> openEventStream(GatewayProcess gateway) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/file/device/events")).build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException e) {
                // the gateway stopped: the stream ends
            }
        }, "sse-" + gateway.port);
        reader.setDaemon(true);
        reader.start();
        Await.until("event stream connected", Duration.ofSeconds(10), () -> lines.contains(": connected"));
        return lines;
    }
}
