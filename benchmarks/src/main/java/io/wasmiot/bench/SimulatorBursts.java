package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Bursts of the simulator's devices, one size at a time, each on a fresh gateway (own data folder)
 * and a simulator started with no devices ({@code add N} on its stdin is the burst). The gateway of
 * the load size also gives the idle and loaded figures: sweeps, memory, lateness, REST, profile.
 */
final class SimulatorBursts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<SimulatorProcess> KEPT = new CopyOnWriteArrayList<>();

    private SimulatorBursts() {
    }

    static void run(Options o, Results res, long deadline, int basePort) {
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
                    BurstTiming.measureBurst(gw, sim, events, floor, prefix, 1, 1, done, new Burst(1), o);
                    BurstTiming.warmDeviceSide(gw);
                    int repeats = size == 1 ? o.singleRepeats : 1;
                    int total = 1;
                    for (int r = 0; r < repeats; r++) {
                        total += size;
                        BurstTiming.measureBurst(gw, sim, events, floor, prefix, size, total, done, burst, o);
                        if (size == 1) {
                            Thread.sleep(500);
                        }
                    }
                    burst.bursts = repeats;
                    burst.httpPairSeconds = BurstTiming.httpPair(gw);
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
                        res.loadSweep = Sweeps.measureSweeps(gw, o, listed, o.healthInterval, o.warmupSweeps, o.sweeps, 0.5);
                        res.rssLoad = gw.rssMiB();
                        res.threadsLoad = gw.threads();
                        res.fdsLoad = gw.openFds();
                        String nmt = Children.run(List.of("jcmd", Long.toString(gw.pid()), "VM.native_memory", "summary"), 60);
                        if (nmt.contains("Total: reserved")) {
                            Files.writeString(dir.resolve("native-memory.txt"), nmt);
                            res.nativeMemory = nmt.lines().map(String::strip)
                                    .filter(l -> l.startsWith("Total") || l.startsWith("-"))
                                    .collect(java.util.stream.Collectors.joining("\n"));
                        }
                        double[] h = gw.heapAfterGcMiB();
                        res.heapLoad = h[0];
                        res.heapCommittedLoad = h[1];
                        res.histogram = Children.run(List.of("jcmd", Long.toString(gw.pid()), "GC.class_histogram"), 60)
                                .lines().limit(18).collect(java.util.stream.Collectors.joining("\n"));
                        res.loadDevices = listed;
                        log(String.format("  with %d devices: RSS %.1f MiB, heap after GC %.1f MiB", listed, res.rssLoad, res.heapLoad));
                        if (o.silentFraction > 0 && o.latenessSweeps > 0) {
                            res.lateness = LatenessPhase.lateness(gw, sim, o, done, prefix, listed);
                        }
                        if (o.restSeconds > 0) {
                            res.rest = RestLoadPhase.rest(gw, o, listed);
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
            keep(sim);
            sim.add(missing);
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20 + missing / 100);
            int listed = 0;
            while (System.nanoTime() < limit && listed < missing) {
                Thread.sleep(500);
                listed = 0;
                for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
                    if (d.path("name").asText().startsWith(prefix) && Listing.complete(d)) {
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

    /** The top-up's simulators: closed with the burst size's gateway. */
    private static void keep(SimulatorProcess sim) {
        KEPT.add(sim);
    }

    private static void closeKept() {
        KEPT.forEach(SimulatorProcess::close);
        KEPT.clear();
    }
}
