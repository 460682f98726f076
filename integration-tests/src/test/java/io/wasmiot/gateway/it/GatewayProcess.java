package io.wasmiot.gateway.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real gateway jar as a separate process, with its own port, data folder and {@code .cfg}
 * files: what an operator runs, driven over HTTP.
 */
final class GatewayProcess implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

    final int port;
    final Path dir;
    final Http http;
    private final Process process;
    private final Config config;
    private final Placement placement;
    /** Where this process's output starts in {@code gateway.log} (a restart appends to it). */
    private final long logStart;

    private GatewayProcess(int port, Path dir, Process process, Config config, Placement placement, long logStart) {
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.config = config;
        this.placement = placement;
        this.logStart = logStart;
        this.http = new Http("http://" + placement.httpHost() + ":" + port);
    }

    /**
     * Where the gateway runs: {@code prefix} goes before {@code java} (for example
     * {@code ip netns exec <host>}, {@link Lab#prefix}) and the test reaches its port at {@code httpHost}.
     */
    record Placement(List<String> prefix, String httpHost, int port) {
        static final Placement HERE = new Placement(List.of(), "127.0.0.1", 0);
    }

    /** Configuration per PID, written as {@code conf/<pid>.cfg} before the start. */
    static final class Config {
        final Map<String, Map<String, String>> byPid = new LinkedHashMap<>();

        Config set(String pid, String key, Object value) {
            byPid.computeIfAbsent(pid, p -> new LinkedHashMap<>()).put(key, String.valueOf(value));
            return this;
        }

        /** Short intervals so that tests see the lifecycle in seconds. */
        static Config fast() {
            return new Config()
                    .set("wasmiot.gateway.discovery", "healthInterval", 1)
                    .set("wasmiot.gateway.discovery", "failuresBeforeInactive", 2)
                    .set("wasmiot.gateway.discovery", "successesBeforeActive", 2)
                    .set("wasmiot.gateway.discovery", "forgetAfter", 3)
                    .set("wasmiot.gateway.discovery", "goodbyeGrace", 2)
                    .set("wasmiot.gateway.discovery", "introductionRounds", 2)
                    .set("wasmiot.gateway.discovery", "introductionBackoffMillis", 200)
                    .set("wasmiot.gateway.probe", "connectTimeoutMillis", 500)
                    .set("wasmiot.gateway.probe", "readTimeoutMillis", 1000);
        }
    }

    /** Starts a gateway in a new folder {@code target/it/<name>-<n>} (kept afterwards, with its log). */
    static GatewayProcess start(String name, Config config) {
        return start(name, config, Placement.HERE);
    }

    /** As {@link #start(String, Config)}, run where {@code placement} says. */
    static GatewayProcess start(String name, Config config, Placement placement) {
        GatewayProcess gateway = launchNew(name, config, placement);
        gateway.awaitReadyOrClose();
        return gateway;
    }

    /**
     * Starts a gateway as {@link #start} does but returns at once, before it answers: for a test that
     * watches the start itself ({@link #awaitReady()} waits).
     */
    static GatewayProcess launchNew(String name, Config config) {
        return launchNew(name, config, Placement.HERE);
    }

    private static GatewayProcess launchNew(String name, Config config, Placement placement) {
        Path dir = Path.of(System.getProperty("wasmiot.it.dir", "target/it")).toAbsolutePath()
                .resolve(name + "-" + STARTS.incrementAndGet());
        try {
            deleteTree(dir);
            Path conf = Files.createDirectories(dir.resolve("conf"));
            for (Map.Entry<String, Map<String, String>> pid : config.byPid.entrySet()) {
                StringBuilder text = new StringBuilder();
                pid.getValue().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
                writeAtomically(conf.resolve(pid.getKey() + ".cfg"), text.toString());
            }
            return launch(placement.port() > 0 ? placement.port() : GatewayOptions.freePort(), dir, config, placement);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GatewayProcess launch(int port, Path dir, Config config, Placement placement) throws IOException {
        List<String> command = new ArrayList<>(placement.prefix());
        // As runtime/jvm.options: with a common pool of 1 (one CPU seen) the HTTP client starts a thread per request.
        command.addAll(List.of(java(), "-Xmx256m", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
                "-Dorg.osgi.service.http.port=" + port,
                "-Dwasmiot.data.dir=" + dir.resolve("data"),
                "-Dfelix.fileinstall.dir=" + dir.resolve("conf"),
                "-Dfelix.cm.dir=" + dir.resolve("data/config"),
                "-Dlaunch.storage.dir=" + dir.resolve("data/framework"),
                "-jar", jar("wasmiot-gateway.jar")));
        File log = dir.resolve("gateway.log").toFile();
        long logStart = log.length();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        return new GatewayProcess(port, dir, process, config, placement, logStart);
    }

    /**
     * A new gateway process on this one's port, data folder and configuration (this one must have
     * ended: {@link #kill()} or {@link #close()}). Returns at once, without waiting for it to
     * answer: a restart test times the first answer itself; {@link #awaitReady()} waits.
     */
    GatewayProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the gateway is still running");
        }
        try {
            return launch(port, dir, config, placement);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the gateway answers with its configuration applied (closes it when it does not). */
    GatewayProcess awaitReady() {
        awaitReadyOrClose();
        return this;
    }

    private void awaitReadyOrClose() {
        try {
            awaitReady(this, config);
        } catch (RuntimeException | AssertionError e) {
            close(); // never leave a gateway running behind a failed start
            throw e;
        }
    }

    /** kill -9: no shutdown hook, no bundle stop, no store close, no lease released. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gateway " + process.pid() + " still alive 20 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private static void awaitReady(GatewayProcess gateway, Config config) {
        Await.until("gateway answering on port " + gateway.port, Duration.ofSeconds(30), () -> {
            if (!gateway.process.isAlive()) {
                throw new IllegalStateException("gateway exited; see " + gateway.dir.resolve("gateway.log"));
            }
            return gateway.http.get("/metrics").body().contains("wasmiot_health_sweeps_total");
        });
        // FileInstall delivers the .cfg files while the bundles start: wait until they are applied.
        String interval = config.byPid.getOrDefault("wasmiot.gateway.discovery", Map.of()).get("healthInterval");
        if (interval != null) {
            Await.until("discovery configuration applied", Duration.ofSeconds(30),
                    () -> gateway.log().contains("health every " + interval + " s"));
        }
        String connect = config.byPid.getOrDefault("wasmiot.gateway.probe", Map.of()).get("connectTimeoutMillis");
        if (connect != null) {
            Await.until("probe configuration applied", Duration.ofSeconds(30),
                    () -> gateway.log().contains("connect timeout " + connect + " ms"));
        }
    }

    /**
     * FileInstall may read a file while it is being written and would take it as empty (and write
     * that back): the content appears at once, by a rename.
     */
    static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    JsonNode devices() {
        return json(http.get("/file/device"));
    }

    JsonNode device(String idOrName) {
        HttpResponse<String> response = http.get("/file/device/" + idOrName);
        return response.statusCode() == 200 ? json(response) : null;
    }

    /** The listed device when it is active with a health report, else {@code null}. */
    JsonNode healthyDevice(String name) {
        JsonNode device = device(name);
        return device != null && "active".equals(device.path("status").asText())
                && device.path("health").path("report").isObject() ? device : null;
    }

    String metric(String line) {
        for (String row : http.get("/metrics").body().split("\n")) {
            if (row.startsWith(line + " ")) {
                return row.substring(line.length() + 1);
            }
        }
        return null;
    }

    /** This process's part of {@code gateway.log} (a restarted gateway appends to the same file). */
    String log() {
        try {
            byte[] all = Files.readAllBytes(dir.resolve("gateway.log"));
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String jar(String name) {
        File jar = new File(System.getProperty("wasmiot.runtime.target", "../runtime/target"), name);
        if (!jar.isFile()) {
            throw new IllegalStateException(jar.getAbsolutePath() + " is missing: build the runtime module first");
        }
        return jar.getAbsolutePath();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
