package io.wasmiot.bench;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark run (bin/benchmark): the phases in order, each bounded by the run's time budget,
 * then the report. For each burst size a fresh gateway (own data folder) and a simulator started
 * with no devices; {@code add N} on its stdin is the burst. The gateway of the load size also gives
 * the health sweep and memory figures. Every wait is bounded.
 */
public final class Harness {
    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        GatewayProcess.receiveBufferBytes = o.receiveBufferBytes;
        Children.killAtExit();
        long runStart = System.nanoTime();
        long deadline = runStart + TimeUnit.SECONDS.toNanos(o.budgetSeconds);
        Files.createDirectories(o.work);
        Results res = new Results(o);
        res.loadAvgStart = ProcFs.loadAvg();
        int basePort = 42000;
        try {
            BurstTiming.wire = new WireListener();
        } catch (Exception e) {
            res.notes.add("The mDNS wire listener could not start (" + e + "): no on-the-wire floor.");
        }
        Thread.sleep(1500);
        try {
            // python-zeroconf bursts first: they judge the 100-device target
            ZeroconfBursts.run(o, res, deadline);
            SimulatorBursts.run(o, res, deadline, basePort);
        } finally {
            if (BurstTiming.wire != null) {
                BurstTiming.wire.close();
            }
        }
        if (o.startupDevices > 0 && (o.startupRuns > 0 || o.swapRepeats > 0)) {
            StartupSwapPhase.run(o, res, deadline);
        }
        if (o.bigSize > 0) {
            BigPhase.run(o, res, deadline);
        }
        res.wallSeconds = (System.nanoTime() - runStart) / 1e9;
        res.loadAvgEnd = ProcFs.loadAvg();
        Report.write(res, o);
        log(String.format("done in %.0f s: %s", res.wallSeconds, o.out.resolve("benchmarks.md")));
    }

    static void log(String s) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
        System.out.flush();
    }
}
