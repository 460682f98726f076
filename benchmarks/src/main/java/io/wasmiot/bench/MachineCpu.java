package io.wasmiot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How busy the whole machine was during a burst: /proc/stat sampled at each of the harness's polls.
 * With the gateway, the devices' processes and the harness on the same cores, a burst whose cores
 * are all busy up to its median device is bound by the CPU all of them spend, not by waiting.
 */
final class MachineCpu {
    /** One sample: nanoTime, busy jiffies and all jiffies over every CPU. */
    record Sample(long nanos, long busy, long total) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** Takes a sample now (nothing when /proc/stat cannot be read). */
    void sample() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]), softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            samples.add(new Sample(System.nanoTime(), busy, busy + idle + iowait));
        } catch (Exception e) {
            // not Linux: no figure
        }
    }

    /**
     * Cores busy on average from the first sample to the first one taken at or after
     * {@code startNanos + seconds}; NaN without two samples.
     */
    double busyCoresUntil(long startNanos, double seconds) {
        if (samples.size() < 2 || Double.isNaN(seconds)) {
            return Double.NaN;
        }
        Sample first = samples.get(0);
        long until = startNanos + (long) (seconds * 1e9);
        Sample last = samples.stream().filter(s -> s.nanos() >= until).findFirst().orElse(samples.get(samples.size() - 1));
        long total = last.total() - first.total();
        return total <= 0 ? Double.NaN : Runtime.getRuntime().availableProcessors() * (last.busy() - first.busy()) / (double) total;
    }

    /** CPU seconds (user + system) a process has spent so far; NaN when it is gone. */
    static double processSeconds(long pid) {
        try {
            return ProcFs.cpuSeconds(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
