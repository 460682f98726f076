package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The sweep, memory and lateness figures with {@code bigSize} devices on a gateway of their own. */
final class BigPhase {
    private BigPhase() {
    }

    /**
     * The sweep and memory figures with {@code bigSize} devices: a fresh gateway
     * ({@code healthInterval=bigHealthInterval}); a simulator starts them at {@code bigStartRate}
     * devices a second, advertising over mDNS AND registering (so every device gets listed even
     * when mDNS packets are dropped, and the gateway holds jmdns's records of them as it would).
     */
    static void run(Options o, Results res, long deadline) {
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
                listed = Listing.completeNames(gw).size();
                if (listed > best) {
                    best = listed;
                    lastProgress = System.nanoTime();
                }
            }
            res.bigDevices = listed;
            log(String.format("  %d of %d listed %.1f s after the add", listed, o.bigSize, (System.nanoTime() - t0) / 1e9));
            res.bigSweep = Sweeps.measureSweeps(gw, o, listed, o.bigHealthInterval, o.bigWarmupSweeps, o.bigSweeps, 0.8);
            res.rssBig = gw.rssMiB();
            res.threadsBig = gw.threads();
            res.fdsBig = gw.openFds();
            double[] h = gw.heapAfterGcMiB();
            res.heapBig = h[0];
            res.heapCommittedBig = h[1];
            log(String.format("  with %d devices: RSS %.1f MiB, heap after GC %.1f MiB", listed, res.rssBig, res.heapBig));
            if (o.bigLatenessSweeps > 0 && o.silentFraction > 0
                    && System.nanoTime() + TimeUnit.SECONDS.toNanos((2L * o.bigLatenessSweeps + 2) * o.bigHealthInterval + 20) < deadline) {
                Set<String> names = Listing.completeNames(gw);
                res.bigLateness = LatenessPhase.lateness(gw, sim, o, names, "g-", names.size(), o.bigHealthInterval, o.bigLatenessSweeps);
            } else if (o.bigLatenessSweeps > 0) {
                res.notes.add("Lateness with " + o.bigSize + " devices skipped (time budget).");
            }
        } catch (Exception e) {
            res.notes.add(o.bigSize + "-device phase failed: " + e);
            log(o.bigSize + " devices failed: " + e);
        }
    }
}
