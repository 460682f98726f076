package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmiot.bench.Harness.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The phases added for issue 8's full list: lateness under silent devices, REST load, startup with devices, hot-swap gap, 5,000 devices. */
final class Phases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Phases() {
    }

    /** Lateness of healthy devices' checks: each gap between two successive checks of one device minus the interval. */
    static final class Lateness {
        int healthy, silent, interval;
        final List<Double> baseline = new ArrayList<>();
        final List<Double> withSilent = new ArrayList<>();
        /** Healthy devices with fewer checks than expected in the window (a skipped check shows as a gap of 2 intervals anyway). */
        double pollSeconds;
        /** The same lateness measured where the checks arrive: spy devices in the harness (nanoTime of each GET /health). */
        final List<Double> deviceBaseline = new ArrayList<>();
        final List<Double> deviceWithSilent = new ArrayList<>();
        int spies;
        String spyFailure;
        /** wasmiot_health_check_failures_total over the silent window: evidence the silent devices were silent. */
        double failuresWithSilent = Double.NaN;
    }

    /**
     * With the load-size gateway sweeping: {@code latenessSweeps} intervals as they are (baseline),
     * then {@code silentFraction} of the devices (spread over the name order) switched to the
     * simulator's {@code slow} fault with a delay far past the gateway's read timeout (they accept the
     * connection and never answer), and as many intervals again. {@code GET /file/device} is polled
     * four times an interval; each healthy device's distinct {@code health.timeOfQuery} values (the
     * gateway's clock) give its successive checks. The silent devices are made healthy again after.
     */
    static Lateness lateness(GatewayProcess gw, SimulatorProcess sim, Options o, Set<String> done, String prefix, int listed)
            throws Exception {
        return lateness(gw, sim, o, done, prefix, listed, o.healthInterval, o.latenessSweeps);
    }

    static Lateness lateness(GatewayProcess gw, SimulatorProcess sim, Options o, Set<String> done, String prefix, int listed,
            int interval, int sweeps) throws Exception {
        Lateness l = new Lateness();
        l.interval = interval;
        // the silent ones are taken from the burst's simulator (the one this harness can send faults to),
        // as many as the fraction of every device listed (the top-up's included)
        List<String> ours = done.stream().filter(n -> n.startsWith(prefix)).sorted().toList();
        int k = Math.min(ours.size(), Math.max(1, (int) Math.round(listed * o.silentFraction)));
        List<String> silent = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            silent.add(ours.get((int) ((i + 0.5) * ours.size() / k)));
        }
        l.silent = silent.size();
        long pollMs = interval * 1000L / 4;
        l.pollSeconds = pollMs / 1000.0;
        log("  lateness: " + sweeps + " intervals as is, then " + k + " of " + listed + " devices never answer");
        Map<String, List<Instant>> checks = new HashMap<>();
        Set<String> silentSet = new HashSet<>(silent);
        SpyDevices spies = null;
        if (o.spyDevices > 0) {
            try {
                spies = startSpies(gw, o.spyDevices);
                l.spies = spies.names.size();
            } catch (Exception e) {
                l.spyFailure = e.toString();
                log("  spy devices failed: " + e);
            }
        }
        long startNanos = System.nanoTime();
        Instant start = Instant.now();
        poll(gw, checks, silentSet, pollMs, (long) sweeps * interval * 1000 + pollMs);
        Instant faultAt = Instant.now();
        long faultNanos = System.nanoTime();
        double failures0 = Stats.metric(gw.metrics(), "wasmiot_health_check_failures_total");
        for (String name : silent) {
            sim.command("fault " + name + " slow");
        }
        poll(gw, checks, silentSet, pollMs, (long) (sweeps + 1) * interval * 1000 + pollMs);
        l.failuresWithSilent = Stats.metric(gw.metrics(), "wasmiot_health_check_failures_total") - failures0;
        for (String name : silent) {
            sim.command("fault " + name + " healthy");
        }
        if (spies != null) {
            for (List<Long> times : spies.arrivals.values()) {
                for (int i = 1; i < times.size(); i++) {
                    long a = times.get(i - 1);
                    if (a < startNanos) {
                        continue;
                    }
                    double late = (times.get(i) - a) / 1e9 - interval;
                    (a < faultNanos ? l.deviceBaseline : l.deviceWithSilent).add(late);
                }
            }
            spies.forget(gw);
            spies.close();
            log(String.format("  at %d spy devices (arrival of each check): as is p50 %s / max %s s; with silent p50 %s / p99 %s / max %s s",
                    l.spies, Stats.sec(Stats.percentile(l.deviceBaseline, 50)), Stats.sec(Stats.max(l.deviceBaseline)),
                    Stats.sec(Stats.percentile(l.deviceWithSilent, 50)), Stats.sec(Stats.percentile(l.deviceWithSilent, 99)),
                    Stats.sec(Stats.max(l.deviceWithSilent))));
        }
        l.healthy = checks.size();
        for (List<Instant> times : checks.values()) {
            for (int i = 1; i < times.size(); i++) {
                Instant a = times.get(i - 1);
                Instant b = times.get(i);
                if (a.isBefore(start)) {
                    continue;
                }
                double late = java.time.Duration.between(a, b).toNanos() / 1e9 - interval;
                (a.isBefore(faultAt) ? l.baseline : l.withSilent).add(late);
            }
        }
        log(String.format("  lateness of %d healthy devices' checks: as is p50 %s / p99 %s / max %s s (%d gaps); with %d silent p50 %s / p99 %s / max %s s (%d gaps)",
                l.healthy, Stats.sec(Stats.percentile(l.baseline, 50)), Stats.sec(Stats.percentile(l.baseline, 99)),
                Stats.sec(Stats.max(l.baseline)), l.baseline.size(), l.silent, Stats.sec(Stats.percentile(l.withSilent, 50)),
                Stats.sec(Stats.percentile(l.withSilent, 99)), Stats.sec(Stats.max(l.withSilent)), l.withSilent.size())
                + String.format("; %.0f failed checks meanwhile", l.failuresWithSilent));
        return l;
    }

    /** Spy devices answering a simulated device's own description and health, registered and listed. */
    private static SpyDevices startSpies(GatewayProcess gw, int n) throws Exception {
        JsonNode first = null;
        for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
            if (Harness.complete(d)) {
                first = d;
                break;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no device listed to copy a description from");
        }
        JsonNode c = first.path("communication");
        String base = "http://" + c.path("addresses").get(0).asText() + ":" + c.path("port").asInt();
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        byte[] description = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/.well-known/wasmiot-device-description")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        byte[] health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        SpyDevices spies = new SpyDevices(n, "spy-", description, health);
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < limit) {
            Set<String> listed = completeNames(gw);
            if (listed.containsAll(spies.names)) {
                return spies;
            }
            Thread.sleep(200);
        }
        spies.close();
        throw new IllegalStateException("the spy devices were not all listed within 15 s");
    }

    private static void poll(GatewayProcess gw, Map<String, List<Instant>> checks, Set<String> skip, long pollMs, long forMs)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMs);
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs);
            for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
                String name = d.path("name").asText();
                String toq = d.path("health").path("timeOfQuery").asText(null);
                if (skip.contains(name) || toq == null || !"active".equals(d.path("status").asText())) {
                    continue;
                }
                Instant t = Instant.parse(toq);
                List<Instant> list = checks.computeIfAbsent(name, n -> new ArrayList<>());
                if (list.isEmpty() || t.isAfter(list.get(list.size() - 1))) {
                    list.add(t);
                }
            }
            long left = next - System.nanoTime();
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
            }
        }
    }

    /** REST load figures. */
    static final class Rest {
        int devices, threads;
        long requests, errors, meanBytes;
        double seconds, rps, p50, p99, max, gatewayCpu = Double.NaN;
        String failure;
    }

    /** {@code GET /file/device} from {@link LoadClient} in its own JVM; the gateway keeps sweeping meanwhile. */
    static Rest rest(GatewayProcess gw, Options o, int devices) {
        Rest r = new Rest();
        r.devices = devices;
        r.threads = o.restThreads;
        List<String> cmd = List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LoadClient.class.getName(), GatewayProcess.BASE + "/file/device", Integer.toString(o.restThreads),
                Integer.toString(o.restWarmupSeconds), Integer.toString(o.restSeconds));
        log("  REST load: " + o.restThreads + " client threads in a second JVM, " + o.restWarmupSeconds + " s warm-up, "
                + o.restSeconds + " s measured");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Harness.track(p);
            Thread.sleep(o.restWarmupSeconds * 1000L);
            double cpu0 = gw.cpuSeconds();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            double cpu1 = gw.cpuSeconds();
            p.waitFor(30, TimeUnit.SECONDS);
            String line = out.lines().filter(x -> x.startsWith("RESULT ")).findFirst().orElse(null);
            if (line == null) {
                r.failure = "the load client printed no RESULT: " + out.strip();
                log("  REST load failed: " + r.failure);
                return r;
            }
            Map<String, String> kv = new HashMap<>();
            for (String part : line.substring(7).split(" ")) {
                int eq = part.indexOf('=');
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
            r.requests = Long.parseLong(kv.get("requests"));
            r.errors = Long.parseLong(kv.get("errors"));
            r.seconds = Double.parseDouble(kv.get("seconds"));
            r.rps = Double.parseDouble(kv.get("rps"));
            r.p50 = Double.parseDouble(kv.get("p50"));
            r.p99 = Double.parseDouble(kv.get("p99"));
            r.max = Double.parseDouble(kv.get("max"));
            r.meanBytes = Long.parseLong(kv.get("bytes"));
            r.gatewayCpu = cpu1 - cpu0;
            log(String.format("  REST: %.1f req/s, p50 %s s, p99 %s s, %d errors, %d bytes a list; gateway CPU %.2f s",
                    r.rps, Stats.sec(r.p50), Stats.sec(r.p99), r.errors, r.meanBytes, r.gatewayCpu));
        } catch (Exception e) {
            r.failure = e.toString();
            log("  REST load failed: " + e);
        }
        return r;
    }

    /** Names of the devices listed complete (active, description, health). */
    static Set<String> completeNames(GatewayProcess gw) throws Exception {
        Set<String> names = new HashSet<>();
        for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
            if (Harness.complete(d)) {
                names.add(d.path("name").asText());
            }
        }
        return names;
    }

    /**
     * Startup with devices already advertising: a simulator with {@code startupDevices} devices is
     * up first; then {@code startupRuns} fresh gateways (empty data folders) each: spawn to the first
     * 200 of {@code GET /file/device}, to the first device listed complete, to every one. The last
     * gateway then gives the hot-swap gap.
     */
    static void startupAndSwap(Options o, Results res, long deadline) {
        long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
        long need = 10L + o.startupRuns * 12L + o.swapRepeats * 3L * 8;
        if (left < need) {
            res.notes.add("Startup with devices and hot-swap skipped: " + left + " s of the time budget left, about " + need + " s needed.");
            log("skipping startup/hot-swap (time budget)");
            return;
        }
        Path dir = o.work.resolve("startup");
        try {
            Files.createDirectories(dir);
            log("startup with " + o.startupDevices + " devices already advertising; hot-swap gap");
            try (SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, "s-", 48000, 1000)) {
                sim.add(o.startupDevices);
                sim.awaitReady(o.startupDevices, 30);
                Thread.sleep(2000); // their announcements are over: the gateway must query for them
                int runs = Math.max(1, o.startupRuns);
                for (int run = 1; run <= runs; run++) {
                    try (GatewayProcess gw = GatewayProcess.start(o.gatewayJar, dir.resolve("run-" + run), o.healthInterval, o.gatewayFlags)) {
                        res.startups.add(gw.startupSeconds);
                        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        double first = Double.NaN;
                        double all = Double.NaN;
                        int listed = 0;
                        while (System.nanoTime() < limit) {
                            listed = completeNames(gw).size();
                            double t = (System.nanoTime() - gw.spawnNanos) / 1e9;
                            if (listed > 0 && Double.isNaN(first)) {
                                first = t;
                            }
                            if (listed >= o.startupDevices) {
                                all = t;
                                break;
                            }
                            Thread.sleep(20);
                        }
                        if (run <= o.startupRuns) {
                            res.startupRest.add(gw.startupSeconds);
                            res.startupFirst.add(first);
                            res.startupAll.add(all);
                        }
                        res.startupDevicesListed = listed;
                        log(String.format("  run %d: GET /file/device %.2f s, first device %s s, all %d %s s after spawn (%d listed)",
                                run, gw.startupSeconds, Stats.sec(first), o.startupDevices, Stats.sec(all), listed));
                        if (run == runs && o.swapRepeats > 0) {
                            swaps(gw, sim, o, res);
                        }
                    }
                }
            }
        } catch (Exception e) {
            res.notes.add("Startup/hot-swap phase failed: " + e);
            log("startup/hot-swap failed: " + e);
        }
    }

    /** The bundle jar of a symbolic name, taken out of the gateway jar (where bnd put the run bundles). */
    static Path bundleJar(Path gatewayJar, String symbolicName, Path into) throws Exception {
        try (var zip = new java.util.zip.ZipFile(gatewayJar.toFile())) {
            var entry = zip.stream().filter(e -> e.getName().startsWith("jar/" + symbolicName + "-") && e.getName().endsWith(".jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no jar/" + symbolicName + "-*.jar in " + gatewayJar));
            Path out = into.resolve(entry.getName().substring(4));
            try (var in = zip.getInputStream(entry)) {
                Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        }
    }

    private static void swaps(GatewayProcess gw, SimulatorProcess sim, Options o, Results res) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        // The console starts last (start level 20) and answers 401 to every password until its
        // configuration reaches it: a gateway that lists its first device may be a moment ahead.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String bundles = null;
        while (bundles == null) {
            try {
                bundles = gw.consoleGet("/system/console/bundles.json");
            } catch (java.io.IOException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        for (JsonNode b : JSON.readTree(bundles).path("data")) {
            ids.put(b.path("symbolicName").asText(), b.path("id").asInt());
        }
        Path mdnsJar = bundleJar(o.gatewayJar, "wasmiot.gateway.mdns", gw.dir);
        Path probeJar = bundleJar(o.gatewayJar, "wasmiot.gateway.probe", gw.dir);
        for (int r = 0; r < o.swapRepeats; r++) {
            res.swapBaseline.add(addAndWait(gw, sim, System.nanoTime()));
            Thread.sleep(1000);
            swapOnce(gw, sim, ids.get("wasmiot.gateway.mdns"), mdnsJar, res.swapMdns, res.consoleDelayMdns);
            Thread.sleep(1000);
            swapOnce(gw, sim, ids.get("wasmiot.gateway.probe"), probeJar, res.swapProbe, res.consoleDelayProbe);
            Thread.sleep(1000);
        }
        log(String.format("  hot-swap: add with no update %s; mDNS update %s; probe update %s (s, update seen to device listed);"
                + " console POST to update seen: mDNS %s, probe %s", res.swapBaseline, res.swapMdns, res.swapProbe,
                res.consoleDelayMdns, res.consoleDelayProbe));
    }

    /** Adds one device and waits until it (any new complete name) is listed; seconds from {@code from}, NaN after 20 s. */
    private static double addAndWait(GatewayProcess gw, SimulatorProcess sim, long from) throws Exception {
        Set<String> before = completeNames(gw);
        sim.add(1);
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < limit) {
            Set<String> now;
            try {
                now = completeNames(gw);
            } catch (java.io.IOException e) {
                now = Set.of(); // 503 while a bundle is away
            }
            long t = System.nanoTime();
            now.removeAll(before);
            if (!now.isEmpty()) {
                return (t - from) / 1e9;
            }
            Thread.sleep(20);
        }
        return Double.NaN;
    }

    /**
     * One update through the console: POST the jar, poll the bundle's state every 20 ms until the
     * update shows (state not Active, or a new Last Modification), add one device at that moment and
     * time it from there until it is listed.
     */
    private static void swapOnce(GatewayProcess gw, SimulatorProcess sim, int id, Path jar, List<Double> gaps, List<Double> consoleDelays)
            throws Exception {
        String path = "/system/console/bundles/" + id + ".json";
        String modified0 = lastModified(gw.consoleGet(path));
        long post = System.nanoTime();
        int status = gw.consoleInstall(jar);
        if (status >= 400) {
            throw new IllegalStateException("console install of " + jar.getFileName() + " answered " + status);
        }
        long limit = post + TimeUnit.SECONDS.toNanos(15);
        long seen = -1;
        while (System.nanoTime() < limit) {
            String info;
            try {
                info = gw.consoleGet(path);
            } catch (java.io.IOException e) {
                continue;
            }
            JsonNode b = JSON.readTree(info).path("data").path(0);
            if (!"Active".equals(b.path("state").asText()) || !lastModified(info).equals(modified0)) {
                seen = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        if (seen < 0) {
            gaps.add(Double.NaN);
            consoleDelays.add(Double.NaN);
            return;
        }
        consoleDelays.add((seen - post) / 1e9);
        gaps.add(addAndWait(gw, sim, seen));
    }

    private static String lastModified(String bundleJson) throws Exception {
        for (JsonNode p : JSON.readTree(bundleJson).path("data").path(0).path("props")) {
            if ("Last Modification".equals(p.path("key").asText())) {
                return p.path("value").asText();
            }
        }
        return "";
    }

    /**
     * The sweep and memory figures with {@code bigSize} devices: a fresh gateway
     * ({@code healthInterval=bigHealthInterval}); a simulator starts them at {@code bigStartRate}
     * devices a second, advertising over mDNS AND registering (so every device gets listed even
     * when mDNS packets are dropped, and the gateway holds jmdns's records of them as it would).
     */
    static void big(Options o, Results res, long deadline) {
        long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
        long need = 20L + (long) (o.bigSize / o.bigStartRate) + (long) (o.bigSweeps + o.bigWarmupSweeps + 1) * o.bigHealthInterval;
        if (left < need) {
            res.notes.add("Sweep and memory with " + o.bigSize + " devices skipped: " + left + " s of the time budget left, about " + need + " s needed.");
            log("skipping " + o.bigSize + " devices (time budget)");
            return;
        }
        Path dir = o.work.resolve("big" + o.bigSize);
        log(o.bigSize + " devices: starting gateway in " + dir);
        res.bigHow = String.format("mDNS and register, started at %s devices/s", Stats.num(o.bigStartRate, 0));
        try (GatewayProcess gw = GatewayProcess.start(o.gatewayJar, dir, o.bigHealthInterval, o.gatewayFlags);
             SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, "g-", 55000, o.bigStartRate,
                     List.of("--orchestrator-url", GatewayProcess.BASE, "--slow-delay", "600"))) {
            res.startups.add(gw.startupSeconds);
            long t0 = sim.add(o.bigSize);
            long limit = t0 + TimeUnit.SECONDS.toNanos(30 + (long) (o.bigSize / o.bigStartRate) * 2);
            int listed = 0;
            int best = 0;
            long lastProgress = System.nanoTime();
            while (System.nanoTime() < limit && listed < o.bigSize && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(20)) {
                Thread.sleep(2000);
                listed = completeNames(gw).size();
                if (listed > best) {
                    best = listed;
                    lastProgress = System.nanoTime();
                }
            }
            res.bigDevices = listed;
            log(String.format("  %d of %d listed %.1f s after the add", listed, o.bigSize, (System.nanoTime() - t0) / 1e9));
            res.bigSweep = Harness.measureSweeps(gw, o, listed, o.bigHealthInterval, o.bigWarmupSweeps, o.bigSweeps, 0.8);
            res.rssBig = gw.rssMiB();
            res.threadsBig = gw.threads();
            res.fdsBig = gw.openFds();
            double[] h = gw.heapAfterGcMiB();
            res.heapBig = h[0];
            res.heapCommittedBig = h[1];
            log(String.format("  with %d devices: RSS %.1f MiB, heap after GC %.1f MiB", listed, res.rssBig, res.heapBig));
            if (o.bigLatenessSweeps > 0 && o.silentFraction > 0
                    && System.nanoTime() + TimeUnit.SECONDS.toNanos((2L * o.bigLatenessSweeps + 2) * o.bigHealthInterval + 20) < deadline) {
                Set<String> names = completeNames(gw);
                res.bigLateness = lateness(gw, sim, o, names, "g-", names.size(), o.bigHealthInterval, o.bigLatenessSweeps);
            } else if (o.bigLatenessSweeps > 0) {
                res.notes.add("Lateness with " + o.bigSize + " devices skipped (time budget).");
            }
        } catch (Exception e) {
            res.notes.add(o.bigSize + "-device phase failed: " + e);
            log(o.bigSize + " devices failed: " + e);
        }
    }
}
