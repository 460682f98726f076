package io.wasmiot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark run (bin/benchmark): for each burst size a fresh gateway (own data folder) and a
 * simulator started with no devices; {@code add N} on its stdin is the burst. The gateway of the
 * load size also gives the health sweep and memory figures. Every wait is bounded.
 */
public final class Harness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();
    private static long clockTicks;
    private static WireListener wire;

    static void track(Process p) {
        CHILDREN.add(p);
    }

    static synchronized long clockTicks() {
        if (clockTicks == 0) {
            try {
                clockTicks = Long.parseLong(run(List.of("getconf", "CLK_TCK"), 10).trim());
            } catch (Exception e) {
                clockTicks = 100;
            }
        }
        return clockTicks;
    }

    /** Runs a short command and returns its output (stdout + stderr). */
    static String run(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        track(p);
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        GatewayProcess.receiveBufferBytes = o.receiveBufferBytes;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        })));
        long runStart = System.nanoTime();
        long deadline = runStart + TimeUnit.SECONDS.toNanos(o.budgetSeconds);
        Files.createDirectories(o.work);
        Results res = new Results(o);
        res.loadAvgStart = loadAvg();
        int basePort = 42000;
        try {
            wire = new WireListener();
        } catch (Exception e) {
            res.notes.add("The mDNS wire listener could not start (" + e + "): no on-the-wire floor.");
        }
        Thread.sleep(1500);
        try {
            // python-zeroconf bursts first: they judge the 100-device target
            runZeroconf(o, res, deadline);
            runSizes(o, res, deadline, basePort);
        } finally {
            if (wire != null) {
                wire.close();
            }
        }
        if (o.startupDevices > 0 && (o.startupRuns > 0 || o.swapRepeats > 0)) {
            Phases.startupAndSwap(o, res, deadline);
        }
        if (o.bigSize > 0) {
            Phases.big(o, res, deadline);
        }
        res.wallSeconds = (System.nanoTime() - runStart) / 1e9;
        res.loadAvgEnd = loadAvg();
        Report.write(res, o);
        log(String.format("done in %.0f s: %s", res.wallSeconds, o.out.resolve("benchmarks.md")));
    }

    private static void runSizes(Options o, Results res, long deadline, int basePort) {
        for (int size : o.sizes) {
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
            long need = 25 + size / 40 + (size == o.loadSize ? 20L + (long) o.sweeps * o.healthInterval : 0);
            if (left < need) {
                res.notes.add("Burst of " + size + " skipped: " + left + " s of the time budget left, about " + need + " s needed.");
                log("skipping size " + size + " (time budget)");
                continue;
            }
            Path dir = o.work.resolve("n" + size);
            log("size " + size + ": starting gateway in " + dir);
            // a browser of its own per size: its cache (and the work each new record costs it) starts empty
            try (FloorBrowser floor = new FloorBrowser();
                 GatewayProcess gw = GatewayProcess.start(o.gatewayJar, dir, o.healthInterval, o.gatewayFlags)) {
                res.startups.add(gw.startupSeconds);
                log(String.format("  gateway answered GET /file/device %.2f s after start (pid %d)", gw.startupSeconds, gw.pid()));
                if (size == o.loadSize) {
                    Thread.sleep(3000);
                    double c0 = gw.cpuSeconds();
                    long i0 = System.nanoTime();
                    Thread.sleep(5000);
                    res.idleCpuPerSecond = (gw.cpuSeconds() - c0) / ((System.nanoTime() - i0) / 1e9);
                    res.rss0 = gw.rssMiB();
                    res.threads0 = gw.threads();
                    res.fds0 = gw.openFds();
                    double[] h = gw.heapAfterGcMiB();
                    res.heap0 = h[0];
                    res.heapCommitted0 = h[1];
                    log(String.format("  idle: RSS %.1f MiB, heap after GC %.1f MiB, CPU %.3f s/s", res.rss0, res.heap0, res.idleCpuPerSecond));
                }
                String prefix = "b" + size + "-";
                try (SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, prefix, basePort, o.startRate,
                        List.of("--slow-delay", "600"));
                     EventStream events = new EventStream(GatewayProcess.BASE)) {
                    Burst burst = new Burst(size);
                    Set<String> done = new HashSet<>();
                    // warm-up: one device listed first, so the simulator's responder and the gateway's
                    // browser are both live; the burst then measures announcements, not JVM or JmDNS start
                    measureBurst(gw, sim, events, floor, prefix, 1, 1, done, new Burst(1), o);
                    warmDeviceSide(gw);
                    int repeats = size == 1 ? o.singleRepeats : 1;
                    int total = 1;
                    for (int r = 0; r < repeats; r++) {
                        total += size;
                        measureBurst(gw, sim, events, floor, prefix, size, total, done, burst, o);
                        if (size == 1) {
                            Thread.sleep(500);
                        }
                    }
                    burst.bursts = repeats;
                    burst.httpPairSeconds = httpPair(gw);
                    res.bursts.add(burst);
                    log(String.format("  found %d of %d; p50 %s s, p95 %s s, max %s s; simulator READY after %s s;"
                                    + " floor: jmdns browser saw %d, p50 %s s, max %s s (+ %s s for two HTTP GETs)",
                            burst.latencies.size(), size * repeats, Stats.sec(burst.p(50)), Stats.sec(burst.p(95)),
                            Stats.sec(Stats.max(burst.latencies)), Stats.sec(burst.simReadySeconds),
                            burst.mdnsSeconds.size(), Stats.sec(Stats.percentile(burst.mdnsSeconds, 50)),
                            Stats.sec(Stats.max(burst.mdnsSeconds)), Stats.sec(burst.httpPairSeconds)));
                    if (size == o.loadSize) {
                        int listed = done.size();
                        if (listed < o.loadSize + 1) {
                            listed += topUp(gw, o, dir, size, basePort + size + 50, o.loadSize + 1 - listed);
                        }
                        res.loadSweep = measureSweeps(gw, o, listed, o.healthInterval, o.warmupSweeps, o.sweeps, 0.5);
                        res.rssLoad = gw.rssMiB();
                        res.threadsLoad = gw.threads();
                        res.fdsLoad = gw.openFds();
                        String nmt = Harness.run(List.of("jcmd", Long.toString(gw.pid()), "VM.native_memory", "summary"), 60);
                        if (nmt.contains("Total: reserved")) {
                            Files.writeString(dir.resolve("native-memory.txt"), nmt);
                            res.nativeMemory = nmt.lines().map(String::strip)
                                    .filter(l -> l.startsWith("Total") || l.startsWith("-"))
                                    .collect(java.util.stream.Collectors.joining("\n"));
                        }
                        double[] h = gw.heapAfterGcMiB();
                        res.heapLoad = h[0];
                        res.heapCommittedLoad = h[1];
                        res.histogram = Harness.run(List.of("jcmd", Long.toString(gw.pid()), "GC.class_histogram"), 60)
                                .lines().limit(18).collect(java.util.stream.Collectors.joining("\n"));
                        res.loadDevices = listed;
                        log(String.format("  with %d devices: RSS %.1f MiB, heap after GC %.1f MiB", listed, res.rssLoad, res.heapLoad));
                        if (o.silentFraction > 0 && o.latenessSweeps > 0) {
                            res.lateness = Phases.lateness(gw, sim, o, done, prefix, listed);
                        }
                        if (o.restSeconds > 0) {
                            res.rest = Phases.rest(gw, o, listed);
                        }
                        if (o.profileSeconds > 0) {
                            res.profile = Profile.record(gw, dir.resolve("sweeps.jfr"), o.profileSeconds);
                            log("  profiled " + o.profileSeconds + " s of sweeps: " + res.profile.samples + " samples, " + res.profile.inclusive);
                        }
                    }
                }
            } catch (Exception e) {
                res.notes.add("Size " + size + " failed: " + e);
                log("size " + size + " failed: " + e);
            } finally {
                closeKept();
            }
            basePort += size * (size == 1 ? o.singleRepeats : 1) + 100;
        }
    }

    /**
     * Bursts of python-zeroconf devices, as the reference orchestrator measured: for each size a fresh
     * gateway, a simulator with {@code --no-mdns} serving the devices' HTTP and benchmarks/zeroconf-fleet.py
     * advertising them (all of a burst registered at once by one {@code go}). Timed exactly as the
     * simulator's bursts ({@link #measureBurst}), beside the same floors.
     */
    private static void runZeroconf(Options o, Results res, long deadline) {
        if (o.zeroconfSizes.isEmpty()) {
            return;
        }
        try {
            res.zeroconfVersion = ZeroconfFleet.zeroconfVersion(o.zeroconfPython);
        } catch (Exception e) {
            res.zeroconfSkipped = e.getMessage();
            res.notes.add("python-zeroconf bursts skipped: " + e.getMessage() + ". bin/benchmark installs Debian's python3-zeroconf"
                    + " when it is missing (`apt-get install python3-zeroconf`, as root, with network); see its output.");
            log("python-zeroconf bursts skipped: " + e.getMessage());
            return;
        }
        int basePort = 46000;
        for (int size : o.zeroconfSizes) {
            int repeats = size == 1 ? o.singleRepeats : 1;
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
            long need = 20 + size / 25 + 2L * repeats;
            if (left < need) {
                res.notes.add("python-zeroconf burst of " + size + " skipped: " + left + " s of the time budget left, about " + need + " s needed.");
                log("skipping python-zeroconf size " + size + " (time budget)");
                continue;
            }
            Path dir = o.work.resolve("z" + size);
            String prefix = "z" + size + "-";
            log("python-zeroconf size " + size + ": starting gateway in " + dir);
            try (GatewayProcess gw = GatewayProcess.start(o.gatewayJar, dir, o.healthInterval, o.gatewayFlags)) {
                res.startups.add(gw.startupSeconds);
                log(String.format("  gateway answered GET /file/device %.2f s after start (pid %d)", gw.startupSeconds, gw.pid()));
                try (SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, prefix, basePort, o.startRate, List.of("--no-mdns"));
                     ZeroconfFleet fleet = new ZeroconfFleet(o.zeroconfPython, o.zeroconfScript, dir, prefix);
                     EventStream events = new EventStream(GatewayProcess.BASE)) {
                    Burst burst = new Burst(size);
                    burst.zeroconf = true;
                    Set<String> done = new HashSet<>();
                    // warm-up: one python device listed first (the fleet's responder and the gateway's browser
                    // both live), not counted
                    fleet.queue(sim.start(1, 60));
                    measureBurst(gw, fleet, events, null, prefix, 1, 1, done, new Burst(1), o);
                    warmDeviceSide(gw);
                    int total = 1;
                    for (int r = 0; r < repeats; r++) {
                        fleet.queue(sim.start(size, 60 + size / 20));
                        total += size;
                        double cpu0 = gw.cpuSeconds();
                        long t0 = measureBurst(gw, fleet, events, null, prefix, size, total, done, burst, o);
                        burst.gatewayCpuSeconds = (Double.isNaN(burst.gatewayCpuSeconds) ? 0 : burst.gatewayCpuSeconds)
                                + gw.cpuSeconds() - cpu0;
                        long probed = fleet.probedNanos();
                        if (probed > 0) {
                            burst.probedSeconds = Math.max(Double.isNaN(burst.probedSeconds) ? 0 : burst.probedSeconds, (probed - t0) / 1e9);
                        }
                        if (size == 1) {
                            Thread.sleep(500);
                        }
                    }
                    burst.bursts = repeats;
                    burst.httpPairSeconds = httpPair(gw);
                    res.zeroconfBursts.add(burst);
                    if (!fleet.errors().isEmpty()) {
                        res.notes.add("python-zeroconf fleet of the " + size + "-device burst said: " + String.join("; ", fleet.errors()));
                    }
                    log(String.format("  found %d of %d; p50 %s s, p95 %s s, max %s s; gateway CPU %s s; python-zeroconf PROBED after %s s, READY after %s s;"
                                    + " floor: jmdns browser saw %d, p50 %s s; wire %d, p50 %s s (+ %s s for two HTTP GETs)",
                            burst.latencies.size(), size * repeats, Stats.sec(burst.p(50)), Stats.sec(burst.p(95)),
                            Stats.sec(Stats.max(burst.latencies)), Stats.sec(burst.gatewayCpuSeconds),
                            Stats.sec(burst.probedSeconds), Stats.sec(burst.simReadySeconds),
                            burst.mdnsSeconds.size(), Stats.sec(Stats.percentile(burst.mdnsSeconds, 50)),
                            burst.wireSeconds.size(), Stats.sec(Stats.percentile(burst.wireSeconds, 50)), Stats.sec(burst.httpPairSeconds)));
                }
            } catch (Exception e) {
                res.notes.add("python-zeroconf size " + size + " failed: " + e);
                log("python-zeroconf size " + size + " failed: " + e);
            }
            basePort += size * repeats + 100;
            Burst measured = res.zeroconfBursts.isEmpty() ? null : res.zeroconfBursts.get(res.zeroconfBursts.size() - 1);
            if (measured != null && measured.size == size && measured.zeroconf) {
                try {
                    floorPass(o, measured, o.work.resolve("z" + size + "-floor"), "f" + size + "-", basePort, repeats);
                } catch (Exception e) {
                    res.notes.add("python-zeroconf floor of " + size + " failed: " + e);
                    log("python-zeroconf floor of " + size + " failed: " + e);
                }
                basePort += size * repeats + 100;
            }
        }
    }

    /**
     * The floor of a python-zeroconf burst, measured apart: the same burst again (new names), with no
     * gateway running, seen by an independent jmdns browser that starts empty and by the wire listener.
     * Run beside the gateway's burst, the browser's own work (jmdns spends CPU on every record) would
     * slow the gateway it is the floor of, on 2 cores.
     */
    private static void floorPass(Options o, Burst burst, Path dir, String prefix, int basePort, int repeats) throws Exception {
        Files.createDirectories(dir);
        log("  floor of " + burst.size + ": the same burst again, no gateway, an independent jmdns browser");
        try (FloorBrowser floor = new FloorBrowser();
             SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, prefix, basePort, o.startRate, List.of("--no-mdns"));
             ZeroconfFleet fleet = new ZeroconfFleet(o.zeroconfPython, o.zeroconfScript, dir, prefix)) {
            fleet.queue(sim.start(1, 60));
            awaitFloor(fleet, floor, prefix, 1, fleet.burst(1), new Burst(1), o); // warm-up, not counted
            for (int r = 0; r < repeats; r++) {
                fleet.queue(sim.start(burst.size, 60 + burst.size / 20));
                awaitFloor(fleet, floor, prefix, burst.size, fleet.burst(burst.size), burst, o);
            }
        }
        log(String.format("  floor: jmdns browser saw %d, p50 %s s, max %s s; wire %d, p50 %s s",
                burst.mdnsSeconds.size(), Stats.sec(Stats.percentile(burst.mdnsSeconds, 50)), Stats.sec(Stats.max(burst.mdnsSeconds)),
                burst.wireSeconds.size(), Stats.sec(Stats.percentile(burst.wireSeconds, 50))));
    }

    /** Waits until the floor browser resolved {@code n} new names of the prefix (or stalls), and records them. */
    private static void awaitFloor(Fleet fleet, FloorBrowser floor, String prefix, int n, long t0, Burst burst, Options o)
            throws Exception {
        long lastProgress = System.nanoTime();
        int seen = 0;
        while (System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(Math.min(o.stallSeconds, 5))
                && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(o.burstTimeoutSeconds)) {
            Thread.sleep(50);
            int now = (int) floor.resolvedNanos.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix) && e.getValue() >= t0).count();
            if (now > seen) {
                seen = now;
                lastProgress = System.nanoTime();
            }
            if (seen >= n) {
                break;
            }
        }
        for (var e : floor.resolvedNanos.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.floorNames.add(e.getKey())) {
                burst.mdnsSeconds.add((e.getValue() - t0) / 1e9);
            }
        }
        if (wire != null) {
            for (var e : wire.firstSrvNanos.entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.wireNames.add(e.getKey())) {
                    burst.wireSeconds.add((e.getValue() - t0) / 1e9);
                }
            }
        }
    }

    /** One burst of n devices: latency of each from the add command to listed active with description and health. */
    private static long measureBurst(GatewayProcess gw, Fleet sim, EventStream events, FloorBrowser floor,
            String prefix, int n, int expectedTotal, Set<String> done, Burst burst, Options o) throws Exception {
        long drops0 = udpDrops();
        java.util.Map<String, Long> mdns0 = mdnsDrops(gw, sim);
        Instant wall0 = Instant.now();
        long t0 = sim.burst(n);
        long pollMs = 250; // each device is timed from its event and check; the poll only finds them
        long limit = t0 + TimeUnit.SECONDS.toNanos(o.burstTimeoutSeconds);
        long lastProgress = System.nanoTime();
        int before = done.size();
        while (done.size() < expectedTotal && System.nanoTime() < limit
                && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(o.stallSeconds)) {
            Thread.sleep(pollMs);
            JsonNode list = JSON.readTree(gw.get("/file/device"));
            long now = System.nanoTime(); // complete by the time the answer arrived
            for (JsonNode d : list) {
                String name = d.path("name").asText();
                if (!name.startsWith(prefix) || done.contains(name) || !complete(d)) {
                    continue;
                }
                double observed = (now - t0) / 1e9;
                double latency = observed;
                Long added = events.addedNanos.get(name);
                // lastSeen: when the gateway took in its first check's answer (the check's timeOfQuery is
                // when it was sent); a later sighting only moves it later. Written to the store next.
                String seen = d.path("lastSeen").asText(null);
                if (added != null && seen != null && d.path("okHealthCheckCount").asInt() == 1) {
                    double health = Duration.between(wall0, Instant.parse(seen)).toNanos() / 1e9;
                    latency = Math.min(observed, Math.max((added - t0) / 1e9, health));
                    burst.refined++;
                }
                done.add(name);
                burst.latencies.add(latency);
                lastProgress = now;
            }
        }
        long ready = sim.awaitReady(expectedTotal, 1);
        if (ready > 0) {
            burst.simReadySeconds = Math.max(Double.isNaN(burst.simReadySeconds) ? 0 : burst.simReadySeconds, (ready - t0) / 1e9);
        }
        for (var e : floor == null ? java.util.Set.<java.util.Map.Entry<String, Long>>of() : floor.resolvedNanos.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.floorNames.add(e.getKey())) {
                burst.mdnsSeconds.add((e.getValue() - t0) / 1e9);
            }
        }
        if (wire != null && floor != null) { // python bursts take the wire's figures in their floor pass
            for (var e : wire.firstSrvNanos.entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.wireNames.add(e.getKey())) {
                    burst.wireSeconds.add((e.getValue() - t0) / 1e9);
                }
            }
        }
        long drops1 = udpDrops();
        mdnsDrops(gw, sim).forEach((who, d) -> burst.mdnsDrops.merge(who, d - mdns0.getOrDefault(who, 0L), Long::sum));
        if (drops0 >= 0 && drops1 >= 0) {
            burst.udpRcvbufErrors += drops1 - drops0;
        }
        if (done.size() - before < n) {
            burst.stoppedBy = System.nanoTime() >= limit ? "time limit " + o.burstTimeoutSeconds + " s"
                    : "no new device for " + o.stallSeconds + " s";
        }
        return t0;
    }

    /**
     * The burst lost devices: a second simulator, paced at 200 devices a second, adds the missing ones so
     * the sweep and memory figures have the load size. Returns how many of them got listed.
     */
    private static int topUp(GatewayProcess gw, Options o, Path dir, int size, int port, int missing) throws Exception {
        String prefix = "t" + size + "-";
        log("  topping up " + missing + " devices at 200/s (mDNS and register) for the sweeps");
        try {
            // mDNS and register: the top-up is for the sweeps, so every device of it should get listed
            SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, prefix, port, 200,
                    List.of("--orchestrator-url", GatewayProcess.BASE, "--slow-delay", "600"));
            Harness.keep(sim);
            sim.add(missing);
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20 + missing / 100);
            int listed = 0;
            while (System.nanoTime() < limit && listed < missing) {
                Thread.sleep(500);
                listed = 0;
                for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
                    if (d.path("name").asText().startsWith(prefix) && complete(d)) {
                        listed++;
                    }
                }
            }
            log("  top-up: " + listed + " of " + missing + " listed");
            return listed;
        } catch (Exception e) {
            log("  top-up failed: " + e);
            return 0;
        }
    }

    private static final List<SimulatorProcess> KEPT = new CopyOnWriteArrayList<>();

    static void keep(SimulatorProcess sim) {
        KEPT.add(sim);
    }

    static void closeKept() {
        KEPT.forEach(SimulatorProcess::close);
        KEPT.clear();
    }

    /**
     * The devices' side in steady state before a burst: the simulator serving every device's HTTP is a
     * JVM started for the burst, so its first few hundred answers run cold (interpreted, compiling) and
     * take CPU the gateway needs on 2 cores. Real devices are not freshly started JVMs. This asks the
     * warm-up device (directly, not through the gateway) for its description and health 200 times, on
     * new connections as the gateway's introductions open them.
     */
    private static void warmDeviceSide(GatewayProcess gw) {
        try {
            java.net.InetSocketAddress device = firstListedDevice(gw);
            if (device == null) {
                return;
            }
            String host = device.getHostString();
            int port = device.getPort();
            for (int i = 0; i < 100; i++) {
                for (String path : List.of("/.well-known/wasmiot-device-description", "/health")) {
                    try (java.net.Socket socket = new java.net.Socket()) {
                        socket.connect(new java.net.InetSocketAddress(host, port), 2000);
                        socket.setSoTimeout(5000);
                        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        socket.getInputStream().readAllBytes();
                    }
                }
            }
            Thread.sleep(1000); // the compilations these answers queued finish before the burst
        } catch (Exception e) {
            log("  warming the devices' side failed: " + e);
        }
    }

    /** The first listed device's first address and port, {@code null} when none is listed. */
    private static java.net.InetSocketAddress firstListedDevice(GatewayProcess gw) throws Exception {
        JsonNode list = JSON.readTree(gw.get("/file/device"));
        if (list.size() == 0) {
            return null;
        }
        JsonNode c = list.get(0).path("communication");
        return java.net.InetSocketAddress.createUnresolved(c.path("addresses").get(0).asText(), c.path("port").asInt());
    }

    /** Median over 20 tries of GET description + GET health, sequential, to one listed device. */
    private static double httpPair(GatewayProcess gw) {
        try {
            java.net.InetSocketAddress device = firstListedDevice(gw);
            if (device == null) {
                return Double.NaN;
            }
            String base = "http://" + device.getHostString() + ":" + device.getPort();
            var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            double[] pairs = new double[20];
            for (int i = 0; i < pairs.length; i++) {
                long a = System.nanoTime();
                for (String path : List.of("/.well-known/wasmiot-device-description", "/health")) {
                    client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                            .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                }
                pairs[i] = (System.nanoTime() - a) / 1e9;
            }
            return Stats.median(pairs);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static String loadAvg() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (Exception e) {
            return "?";
        }
    }

    /** Socket inodes of a process (from /proc/<pid>/fd links "socket:[N]"). */
    static java.util.Set<Long> socketInodes(long pid) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String l = Files.readSymbolicLink(fd).toString();
                    if (l.startsWith("socket:[")) {
                        out.add(Long.parseLong(l.substring(8, l.length() - 1)));
                    }
                } catch (Exception e) {
                    // closed meanwhile
                }
            }
        } catch (Exception e) {
            // process gone
        }
        return out;
    }

    /** mDNS socket drops (port 5353) by process: gateway, harness (floor browser, wire listener), simulator; /proc/net/udp and udp6. */
    static java.util.Map<String, Long> mdnsDrops(GatewayProcess gw, Fleet sim) {
        java.util.Map<Long, String> owners = new java.util.HashMap<>();
        socketInodes(gw.pid()).forEach(i -> owners.put(i, "gateway"));
        socketInodes(ProcessHandle.current().pid()).forEach(i -> owners.put(i, "harness (jmdns floor browser, wire listener)"));
        socketInodes(sim.pid()).forEach(i -> owners.put(i, sim.label()));
        try {
            // the JVM's sockets are dual-stack: they are listed in udp6, jmdns's IPv4-only ones in udp
            String text = Files.readString(Path.of("/proc/net/udp"))
                    + (Files.exists(Path.of("/proc/net/udp6")) ? "\n" + Files.readString(Path.of("/proc/net/udp6")) : "");
            return Stats.mdnsDropsByOwner(text, owners);
        } catch (Exception e) {
            return java.util.Map.of();
        }
    }

    private static long udpDrops() {
        try {
            return Stats.udpRcvbufErrors(Files.readString(Path.of("/proc/net/snmp")));
        } catch (Exception e) {
            return -1;
        }
    }

    static boolean complete(JsonNode d) {
        return "active".equals(d.path("status").asText())
                && d.path("description").isObject() && d.path("description").size() > 0
                && d.path("health").path("report").isObject();
    }

    /**
     * Sweeps of the devices listed. Samples are taken {@code sampleAt} of an interval after each sweep
     * starts (when that sweep is over and the next has not begun): then the gauge holds that sweep's
     * wall time and the checks counter counts whole sweeps. CPU and checks: from such a point to the
     * one K sweeps later.
     */
    static SweepRun measureSweeps(GatewayProcess gw, Options o, int devices, int interval, int warmupSweeps,
            int sweepCount, double sampleAt) throws Exception {
        SweepRun run = new SweepRun();
        run.mdnsSettleSeconds = awaitMdnsSettled(gw, 150);
        run.devices = devices;
        run.interval = interval;
        run.warmup = warmupSweeps;
        long limit = System.nanoTime()
                + TimeUnit.SECONDS.toNanos((long) (sweepCount + warmupSweeps + 2) * interval + 15);
        long half = (long) (interval * 1000L * sampleAt);
        double startSweeps = Stats.metric(gw.metrics(), "wasmiot_health_sweeps_total");
        // warm-up: let the JIT compile the check path first (it is most of the CPU of the first sweeps)
        log("  " + warmupSweeps + " warm-up sweeps, then " + sweepCount + " measured, of " + devices + " devices");
        if (!awaitSweepStart(gw, startSweeps + warmupSweeps, limit)) {
            run.note = "No health sweep started within the time limit.";
            return run;
        }
        Thread.sleep(half);
        String m = gw.metrics();
        double sweeps = Stats.metric(m, "wasmiot_health_sweeps_total");
        double cpuA = gw.cpuSeconds();
        double checksA = Stats.metric(m, "wasmiot_health_checks_total");
        java.util.Map<String, Double> threadsA = gw.threadCpuSeconds();
        long tA = System.nanoTime();
        int counted = 0;
        while (counted < sweepCount && awaitSweepStart(gw, sweeps, limit)) {
            Thread.sleep(half);
            m = gw.metrics();
            sweeps = Stats.metric(m, "wasmiot_health_sweeps_total");
            run.seconds.add(Stats.metric(m, "wasmiot_health_sweep_seconds"));
            counted++;
            run.cpu = gw.cpuSeconds() - cpuA;
            run.checks = Stats.metric(m, "wasmiot_health_checks_total") - checksA;
            run.window = (System.nanoTime() - tA) / 1e9;
            var threadsB = gw.threadCpuSeconds();
            run.threadCpu.clear();
            for (var e : threadsB.entrySet()) {
                double d = e.getValue() - threadsA.getOrDefault(e.getKey(), 0.0);
                if (d > 0) {
                    run.threadCpu.put(e.getKey(), d);
                }
            }
        }
        run.failures = Stats.metric(m, "wasmiot_health_check_failures_total");
        log(String.format("  %d sweeps of %d devices (from sweep %.0f): wall %s s; CPU %.3f s for %.0f checks",
                counted, devices, startSweeps, run.seconds, run.cpu, run.checks));
        return run;
    }

    /**
     * Waits (at most {@code maxSeconds}) until the gateway's mDNS burst catch-up is over
     * ({@code wasmiot_mdns_catchup_pending} 0 for 3 s running), so sweeps are measured as they run
     * once devices have joined, not beside the catch-up's answer storms. @return seconds waited
     * (NaN when the gateway has no such metric)
     */
    static double awaitMdnsSettled(GatewayProcess gw, int maxSeconds) throws Exception {
        long start = System.nanoTime();
        long limit = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        int quiet = 0;
        while (System.nanoTime() < limit) {
            double pending = Stats.metric(gw.metrics(), "wasmiot_mdns_catchup_pending");
            if (Double.isNaN(pending)) {
                return Double.NaN;
            }
            quiet = pending == 0 ? quiet + 1 : 0;
            if (quiet >= 3) {
                break;
            }
            Thread.sleep(1000);
        }
        double waited = (System.nanoTime() - start) / 1e9;
        log(String.format("  mDNS catch-up over after %.0f s (%.0f catch-up queries in all)", waited,
                Stats.metric(gw.metrics(), "wasmiot_mdns_catchup_queries_total")));
        return waited;
    }

    static boolean awaitSweepStart(GatewayProcess gw, double after, long limit) throws Exception {
        while (System.nanoTime() < limit) {
            if (Stats.metric(gw.metrics(), "wasmiot_health_sweeps_total") > after) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    static void log(String s) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
        System.out.flush();
    }

    /** One burst size's results. */
    static final class Burst {
        final int size;
        int bursts = 1;
        /** Devices advertised by python-zeroconf (benchmarks/zeroconf-fleet.py), not the simulator's JmDNS. */
        boolean zeroconf;
        /** python-zeroconf: the latest, over the repeats, of burst start to every device probed (first announcement sent). */
        double probedSeconds = Double.NaN;
        int refined;
        final List<Double> latencies = new ArrayList<>();
        double simReadySeconds = Double.NaN;
        double httpPairSeconds = Double.NaN;
        /** The gateway's CPU (user + system) from the burst's start to its last device listed, summed over the repeats. */
        double gatewayCpuSeconds = Double.NaN;
        long udpRcvbufErrors;
        /** When the independent jmdns browser resolved each device of the burst, seconds after the burst. */
        final List<Double> mdnsSeconds = new ArrayList<>();
        final Set<String> floorNames = new HashSet<>();
        /** When each device's first SRV record was seen on the wire, seconds after the burst. */
        final List<Double> wireSeconds = new ArrayList<>();
        /** Datagrams the mDNS sockets (port 5353) dropped during the burst, by owning process (/proc/net/udp). */
        final java.util.Map<String, Long> mdnsDrops = new java.util.TreeMap<>();
        final Set<String> wireNames = new HashSet<>();
        String stoppedBy;

        Burst(int size) {
            this.size = size;
        }

        double p(double q) {
            return Stats.percentile(latencies, q);
        }
    }

    /** Sweeps of one gateway: wall time of each, CPU and checks over the measured ones. */
    static final class SweepRun {
        int devices, interval, warmup;
        /** How long the harness waited for the gateway's mDNS catch-up to end before the warm-up sweeps. */
        double mdnsSettleSeconds = Double.NaN;
        final List<Double> seconds = new ArrayList<>();
        double cpu = Double.NaN, checks = Double.NaN, window = Double.NaN, failures = Double.NaN;
        final java.util.Map<String, Double> threadCpu = new java.util.HashMap<>();
        String note;

        double cpuPer1000() {
            return cpu / checks * 1000;
        }
    }

    /** Everything the report shows. */
    static final class Results {
        final Options options;
        final List<Burst> bursts = new ArrayList<>();
        /** Bursts of python-zeroconf devices (the reference's kind); the 100-device target is judged on them. */
        final List<Burst> zeroconfBursts = new ArrayList<>();
        /** Why the python-zeroconf bursts were not run (null: they were, or not asked for); the package's version. */
        String zeroconfSkipped, zeroconfVersion;
        final List<Double> startups = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        double idleCpuPerSecond = Double.NaN, rss0 = Double.NaN, heap0 = Double.NaN, rssLoad = Double.NaN,
                heapLoad = Double.NaN, heapCommitted0 = Double.NaN, heapCommittedLoad = Double.NaN,
                rssBig = Double.NaN, heapBig = Double.NaN, heapCommittedBig = Double.NaN, wallSeconds;
        int loadDevices, bigDevices;
        String bigHow;
        SweepRun loadSweep, bigSweep;
        Phases.Lateness lateness, bigLateness;
        Phases.Rest rest;
        /** Startup with devices already advertising: spawn to GET /file/device 200, to the first and to every device listed. */
        final List<Double> startupRest = new ArrayList<>(), startupFirst = new ArrayList<>(), startupAll = new ArrayList<>();
        int startupDevicesListed = -1;
        /** Hot-swap: the update seen to a device added right then listed; the same add with no update. */
        final List<Double> swapBaseline = new ArrayList<>(), swapMdns = new ArrayList<>(), swapProbe = new ArrayList<>(),
                consoleDelayMdns = new ArrayList<>(), consoleDelayProbe = new ArrayList<>();
        Profile profile;
        String histogram;
        String nativeMemory;
        String loadAvgStart, loadAvgEnd;
        int threads0, threadsLoad, threadsBig;
        int[] fds0 = {-1, -1}, fdsLoad = {-1, -1}, fdsBig = {-1, -1};
        Results(Options o) {
            this.options = o;
        }
    }
}
