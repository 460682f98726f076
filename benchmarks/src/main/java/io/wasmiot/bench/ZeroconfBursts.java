package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Bursts of python-zeroconf devices, the kind the reference orchestrator was measured with, and
 * their floors measured in a pass of their own.
 */
final class ZeroconfBursts {
    private ZeroconfBursts() {
    }

    /**
     * Bursts of python-zeroconf devices, as the reference orchestrator measured: for each size a fresh
     * gateway, a simulator with {@code --no-mdns} serving the devices' HTTP and benchmarks/zeroconf-fleet.py
     * advertising them (all of a burst registered at once by one {@code go}). Timed exactly as the
     * simulator's bursts ({@link BurstTiming#measureBurst}), beside the same floors.
     */
    static void run(Options o, Results res, long deadline) {
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
                    BurstTiming.measureBurst(gw, fleet, events, null, prefix, 1, 1, done, new Burst(1), o);
                    BurstTiming.warmDeviceSide(gw);
                    int total = 1;
                    for (int r = 0; r < repeats; r++) {
                        fleet.queue(sim.start(size, 60 + size / 20));
                        total += size;
                        timed(gw, sim, fleet, events, prefix, size, total, done, burst, o);
                        if (size == 1) {
                            Thread.sleep(500);
                        }
                    }
                    if (o.zeroconfWarm && size >= 100) {
                        Burst warm = new Burst(size);
                        warm.zeroconf = true;
                        warm.warm = true;
                        fleet.queue(sim.start(size, 60 + size / 20));
                        total += size;
                        timed(gw, sim, fleet, events, prefix, size, total, done, warm, o);
                        res.warmZeroconfBursts.add(warm);
                        log(String.format("  warm: a second burst of %d on the same gateway: found %d; p50 %s s, max %s s; gateway CPU %s s",
                                size, warm.latencies.size(), Stats.sec(warm.p(50)), Stats.sec(Stats.max(warm.latencies)),
                                Stats.sec(warm.gatewayCpuSeconds)));
                    }
                    burst.bursts = repeats;
                    burst.httpPairSeconds = BurstTiming.httpPair(gw);
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
            basePort += size * (repeats + (o.zeroconfWarm && size >= 100 ? 1 : 0)) + 100;
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

    /** One burst timed, with the CPU of the gateway (by thread) and of the processes beside it. */
    private static void timed(GatewayProcess gw, SimulatorProcess sim, ZeroconfFleet fleet, EventStream events, String prefix,
            int size, int total, Set<String> done, Burst burst, Options o) throws Exception {
        long harness = ProcessHandle.current().pid();
        double cpu0 = gw.cpuSeconds();
        double fleet0 = MachineCpu.processSeconds(fleet.pid());
        double sim0 = MachineCpu.processSeconds(sim.pid());
        double harness0 = MachineCpu.processSeconds(harness);
        var threads0 = gw.threadCpuSeconds();
        long t0 = BurstTiming.measureBurst(gw, fleet, events, null, prefix, size, total, done, burst, o);
        burst.gatewayCpuSeconds = (Double.isNaN(burst.gatewayCpuSeconds) ? 0 : burst.gatewayCpuSeconds) + gw.cpuSeconds() - cpu0;
        burst.fleetCpuSeconds = sum(burst.fleetCpuSeconds, MachineCpu.processSeconds(fleet.pid()) - fleet0);
        burst.simulatorCpuSeconds = sum(burst.simulatorCpuSeconds, MachineCpu.processSeconds(sim.pid()) - sim0);
        burst.harnessCpuSeconds = sum(burst.harnessCpuSeconds, MachineCpu.processSeconds(harness) - harness0);
        gw.threadCpuSeconds().forEach((thread, seconds) -> {
            double spent = seconds - threads0.getOrDefault(thread, 0.0);
            if (spent > 0) {
                burst.threadCpu.merge(thread, spent, Double::sum);
            }
        });
        long probed = fleet.probedNanos();
        if (probed > 0) {
            burst.probedSeconds = Math.max(Double.isNaN(burst.probedSeconds) ? 0 : burst.probedSeconds, (probed - t0) / 1e9);
        }
    }

    private static double sum(double sofar, double more) {
        return Double.isNaN(sofar) ? more : sofar + more;
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
            BurstTiming.awaitFloor(fleet, floor, prefix, 1, fleet.burst(1), new Burst(1), o); // warm-up, not counted
            for (int r = 0; r < repeats; r++) {
                fleet.queue(sim.start(burst.size, 60 + burst.size / 20));
                BurstTiming.awaitFloor(fleet, floor, prefix, burst.size, fleet.burst(burst.size), burst, o);
            }
        }
        log(String.format("  floor: jmdns browser saw %d, p50 %s s, max %s s; wire %d, p50 %s s",
                burst.mdnsSeconds.size(), Stats.sec(Stats.percentile(burst.mdnsSeconds, 50)), Stats.sec(Stats.max(burst.mdnsSeconds)),
                burst.wireSeconds.size(), Stats.sec(Stats.percentile(burst.wireSeconds, 50))));
    }
}
