package io.wasmiot.bench;

import static io.wasmiot.bench.Stats.sec;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's section on the whole machine during each python-zeroconf burst: how many cores were
 * busy until the median and the last device was listed, what each process spent, and the same size
 * again on the gateway that served the first burst (its code compiled).
 */
final class ReportMachine {
    private ReportMachine() {
    }

    static void append(StringBuilder md, Results r) {
        List<Burst> rows = new ArrayList<>();
        for (Burst b : r.zeroconfBursts) {
            if (b.size >= 100 && b.bursts == 1) {
                rows.add(b);
                r.warmZeroconfBursts.stream().filter(w -> w.size == b.size).forEach(rows::add);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        md.append(String.format("## The whole machine during each python-zeroconf burst, and a warm gateway%n%n"
                + "| burst | found | p50 / max s | cores busy (of %d): start to p50 / to max | CPU s over the burst: gateway / "
                + "python-zeroconf fleet / simulator (the devices' HTTP) / harness | gateway CPU ms a device |%n"
                + "|---|---|---|---|---|---|%n", cores));
        for (Burst b : rows) {
            md.append(String.format("| %d, %s | %d of %d | %s / %s | %s / %s | %s / %s / %s / %s | %s |%n",
                    b.size, b.warm ? "warm gateway (its second burst)" : "fresh gateway", b.latencies.size(), b.size,
                    sec(b.p(50)), sec(Stats.max(b.latencies)),
                    Stats.num(b.machine.busyCoresUntil(b.startNanos, b.p(50)), 2),
                    Stats.num(b.machine.busyCoresUntil(b.startNanos, Stats.max(b.latencies)), 2),
                    Stats.num(b.gatewayCpuSeconds, 2), Stats.num(b.fleetCpuSeconds, 2), Stats.num(b.simulatorCpuSeconds, 2),
                    Stats.num(b.harnessCpuSeconds, 2), Stats.num(1000 * b.gatewayCpuSeconds / Math.max(1, b.latencies.size()), 2)));
        }
        md.append("\nCores busy: `/proc/stat` (every process on the machine) sampled at each of the harness's polls (250 ms),\n"
                + "from the burst's start to the first poll after its median and its last device were listed. The devices,\n"
                + "the gateway and the harness share these cores: a burst that keeps them all busy up to its median device\n"
                + "is bound by the CPU they spend together, not by waiting. A warm gateway's burst comes right after the fresh\n"
                + "one, with the first burst's devices listed and checked every health interval meanwhile (CPU counted).\n\n");
    }
}
