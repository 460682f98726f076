package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import java.util.concurrent.TimeUnit;

/** Health sweeps of a gateway, measured through its /metrics: wall time, CPU and checks per sweep. */
final class Sweeps {
    private Sweeps() {
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
}
