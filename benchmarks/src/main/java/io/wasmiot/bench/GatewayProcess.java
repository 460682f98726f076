package io.wasmiot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real gateway jar as a child process, in its own working folder, plus what we read from /proc. */
final class GatewayProcess implements AutoCloseable {
    static final int PORT = 3000;
    static final String BASE = "http://127.0.0.1:" + PORT;

    final Process process;
    final Path dir;
    /** Process start to the first 200 of GET /file/device, seconds. */
    final double startupSeconds;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** System.nanoTime() just before the process was spawned. */
    final long spawnNanos;

    private GatewayProcess(Process process, Path dir, double startupSeconds, long spawnNanos) {
        this.process = process;
        this.dir = dir;
        this.startupSeconds = startupSeconds;
        this.spawnNanos = spawnNanos;
    }

    /** The mDNS socket's receive buffer for the gateways started from now on; 0 = the gateway's default. */
    static volatile int receiveBufferBytes;

    static GatewayProcess start(Path jar, Path dir, int healthIntervalSeconds, List<String> javaOpts) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/wasmiot.gateway.discovery.cfg"),
                "healthInterval=" + healthIntervalSeconds + "\n");
        if (receiveBufferBytes > 0) {
            Files.writeString(dir.resolve("conf/wasmiot.gateway.mdns.cfg"), "receiveBufferBytes=" + receiveBufferBytes + "\n");
        }
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(javaOpts);
        cmd.addAll(List.of("-Dwasmiot.data.dir=" + dir.resolve("data"),
                "-Dfelix.fileinstall.dir=" + dir.resolve("conf"),
                "-Dfelix.cm.dir=" + dir.resolve("data/config"),
                "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        Children.track(p);
        HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + "/file/device")).timeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("gateway exited with " + p.exitValue() + "; see " + dir.resolve("gateway.log"));
            }
            try {
                if (probe.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new GatewayProcess(p, dir, (System.nanoTime() - t0) / 1e9, t0);
                }
            } catch (IOException e) {
                // not yet listening
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IllegalStateException("gateway did not answer GET /file/device within 60 s");
    }

    long pid() {
        return process.pid();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The web console's basic-auth header: user admin, the password the gateway generated into its data folder. */
    String consoleAuth() throws IOException {
        String password = Files.readString(dir.resolve("data/console-password")).strip();
        return "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** GET of a web console path (with the console login); the body, or an IOException for a non-200. */
    String consoleGet(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", consoleAuth()).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /**
     * The console's "Install/Update" of a bundle jar: {@code POST /system/console/bundles} with
     * {@code action=install} and the jar as {@code bundlefile} (multipart); the console updates the
     * installed bundle of the same symbolic name, in a background thread. Returns the HTTP status.
     */
    int consoleInstall(Path bundleJar) throws IOException, InterruptedException {
        String boundary = "----wasmiotbench" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        java.util.function.BiConsumer<String, String> field = (k, v) -> body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        field.accept("action", "install");
        field.accept("bundlestart", "start");
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\""
                + bundleJar.getFileName() + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(bundleJar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + "/system/console/bundles"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", consoleAuth())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String metrics() throws IOException, InterruptedException {
        return get("/metrics");
    }

    /** utime + stime of the gateway, in seconds. */
    double cpuSeconds() throws IOException {
        return ProcFs.cpuSeconds(Files.readString(Path.of("/proc/" + pid() + "/stat")));
    }

    /** CPU seconds by thread name (digits folded to N), from /proc/<pid>/task/<tid>/stat. */
    java.util.Map<String, Double> threadCpuSeconds() {
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    out.merge(comm, ProcFs.cpuSeconds(stat), Double::sum);
                } catch (Exception e) {
                    // thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // process ended
        }
        return out;
    }

    /** The Threads: line of /proc/<pid>/status, or -1. */
    int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    /** Open file descriptors of the gateway, and how many of them are sockets (-1 when unreadable). */
    int[] openFds() {
        int all = 0;
        int sockets = 0;
        try (var fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                all++;
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return new int[] {-1, -1};
        }
        return new int[] {all, sockets};
    }

    /** VmRSS in MiB. */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** jcmd GC.run, then GC.heap_info's used heap in MiB (NaN when jcmd cannot attach). */
    double[] heapAfterGcMiB() throws Exception {
        Children.run(List.of("jcmd", Long.toString(pid()), "GC.run"), 30);
        String info = Children.run(List.of("jcmd", Long.toString(pid()), "GC.heap_info"), 30);
        return new double[] {Stats.heapUsedMiB(info), Stats.heapCommittedMiB(info)};
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
