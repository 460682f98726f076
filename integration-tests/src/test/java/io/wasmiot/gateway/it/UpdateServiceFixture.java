package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.AfterClass;
import org.junit.BeforeClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link UpdateServiceIT}'s ordered methods share: the real jar with its update service (API
 * token, a short gate window), 10 simulated devices, the static source with one of them to replay,
 * a client polling {@code GET /file/device} every 50 ms; and the update requests and readings
 * (inventory, journal, listing, the poller's answers) the tests judge.
 */
public abstract class UpdateServiceFixture {
    static final String PROBE = "wasmiot.gateway.probe";
    static final String TOKEN = "it-update-secret";
    static final String STORE_PASSWORD = "it-store-password";
    static final int GATE_SECONDS = 5;
    static final int DEVICES = 10;
    static final String PREFIX = "upd-";
    static final Duration SOON = Duration.ofSeconds(60);
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static GatewayProcess gateway;
    private static SimulatorProcess simulator;
    static RestPoller poller;
    static final Map<String, String> IDS = new TreeMap<>();
    static Path jars;
    /** The probe's jar after the committed update: what must run after every later failure. */
    static Path good;

    @BeforeClass
    public static void startGatewayDevicesAndPoller() throws IOException {
        jars = Path.of(System.getProperty("wasmiot.it.dir", "target/it")).toAbsolutePath().resolve("update-service-jars");
        gateway = GatewayProcess.start("update-service", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.rest", ".apiToken", TOKEN) // the gateway's API token opens updates too
                .set("wasmiot.gateway.update", "gateSeconds", GATE_SECONDS));
        simulator = SimulatorProcess.start(gateway.dir, DEVICES, "--name-prefix", PREFIX);
        for (int i = 1; i <= DEVICES; i++) {
            String name = String.format("%s%04d", PREFIX, i);
            IDS.put(name, Await.until(name + " healthy", SOON, () -> gateway.healthyDevice(name)).get("_id").asText());
        }
        // upd-0001 also from the static source: it has a device to replay when it is reopened
        GatewayProcess.writeAtomically(gateway.dir.resolve("conf/wasmiot.gateway.source.static-upd1.cfg"),
                "name=" + PREFIX + "0001\naddress=127.0.0.1\nport=" + simulator.port(PREFIX + "0001") + "\n");
        Await.until("the static source reported upd-0001", SOON, () -> staticSightings() >= 1);
        Await.until("the update service's settings applied", SOON,
                () -> gateway.log().contains("gate " + GATE_SECONDS + " s, maxDevicesLost 0"));
        poller = new RestPoller("http://127.0.0.1:" + gateway.port, PREFIX);
        poller.expect(IDS, 0);
        poller.start();
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        if (poller != null) {
            poller.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The static source's sightings in its current session ({@code GET /metrics}), or -1 while it is not open. */
    static double staticSightings() {
        for (String row : gateway.http.get("/metrics").body().split("\n")) {
            if (row.startsWith("wasmiot_source_session_sightings{") && row.contains("source=\"static\"")) {
                return Double.parseDouble(row.substring(row.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    static void jdkTool(String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", tool).toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(tool + " finished", process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(tool + ": " + output, 0, process.exitValue());
    }

    /** An update's answer: its journal entry, how long the POST took, and when it was sent. */
    record Decided(JsonNode entry, Duration took, long startNanos) {
    }

    /** POSTs {@code jar} as the probe's update and checks the answer's status and journal step. */
    static Decided update(Path jar, int status, String step) throws IOException {
        long start = System.nanoTime();
        HttpResponse<String> answer = send(post(jar, PROBE, BundleJars.sha256(jar)));
        Duration took = Figures.since(start);
        assertEquals(answer.body(), status, answer.statusCode());
        JsonNode entry = GatewayProcess.json(answer);
        assertEquals(step, entry.path("step").asText());
        return new Decided(entry, took, start);
    }

    static HttpRequest.Builder post(Path jar, String bundle, String sha256) throws IOException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/gateway/updates"))
                .timeout(Duration.ofSeconds(GATE_SECONDS + 60))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/java-archive")
                .header("X-Bundle", bundle)
                .header("X-Sha256", sha256)
                .header("X-Operator", "UpdateServiceIT")
                .POST(HttpRequest.BodyPublishers.ofFile(jar));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** 8 MiB of zeros: an upload that is refused before it is read. */
    static Path largeUpload() throws IOException {
        Path large = jars.resolve("refused-large.jar");
        if (!java.nio.file.Files.exists(large)) {
            java.nio.file.Files.createDirectories(jars);
            java.nio.file.Files.write(large, new byte[8 << 20]);
        }
        return large;
    }

    static JsonNode probe() {
        return installed(PROBE);
    }

    /** The bundle as the inventory ({@code GET /gateway/bundles}) shows it. */
    static JsonNode installed(String symbolicName) {
        for (JsonNode bundle : GatewayProcess.json(gateway.http.get("/gateway/bundles"))) {
            if (symbolicName.equals(bundle.path("symbolicName").asText())) {
                return bundle;
            }
        }
        throw new AssertionError("no " + symbolicName + " in the inventory");
    }

    static JsonNode journal() {
        HttpResponse<String> response = gateway.http.get("/gateway/updates");
        assertEquals(response.body(), 200, response.statusCode());
        return GatewayProcess.json(response);
    }

    static java.util.Set<String> listedNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (JsonNode device : gateway.devices()) {
            names.add(device.path("name").asText());
        }
        return names;
    }

    static void assertNoWrongAnswers() {
        List<RestPoller.Sample> wrong = poller.samples().stream().filter(s -> s.kind() == RestPoller.Kind.WRONG).toList();
        assertEquals("wrong answers to the polling client: " + wrong, List.of(), wrong);
    }

    /** The decision's figures and the polling client's longest gap (answers other than OK) since {@code startNanos}. */
    static void report(String scenario, Decided decided) {
        JsonNode entry = decided.entry();
        long startNanos = decided.startNanos();
        long gapStart = -1;
        long longest = 0;
        int answers = 0;
        for (RestPoller.Sample sample : poller.samples()) {
            if (sample.nanos() < startNanos) {
                continue;
            }
            answers++;
            if (sample.kind() != RestPoller.Kind.OK && gapStart < 0) {
                gapStart = sample.nanos();
            } else if (sample.kind() == RestPoller.Kind.OK && gapStart >= 0) {
                longest = Math.max(longest, sample.nanos() - gapStart);
                gapStart = -1;
            }
        }
        Figures.report("UpdateServiceIT", scenario, "decision after " + entry.path("decisionMillis").asLong()
                + " ms (gate " + GATE_SECONDS + " s), POST answered in " + Figures.seconds(decided.took())
                + ", polling client: longest gap " + Figures.seconds(Duration.ofNanos(longest)) + " over " + answers
                + " answers, devices lost 0 of " + DEVICES);
    }
}
