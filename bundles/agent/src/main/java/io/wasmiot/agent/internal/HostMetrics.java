package io.wasmiot.agent.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU and memory use of this host as fractions 0..1, for {@code GET /health}. Read from
 * {@code /proc/stat} and {@code /proc/meminfo} (Linux); elsewhere from the load average and the
 * JVM heap. A sample is reused for {@code minInterval}: thousands of devices answer health checks
 * from the same host, and reading /proc per request would be waste.
 */
final class HostMetrics {
    /** One reading. */
    record Sample(double cpuUsage, double memoryUsage) {
    }

    private final Path procRoot;
    private final long minIntervalNanos;
    private long sampledAtNanos;
    private Sample sample;
    /** Previous /proc/stat totals {busy, all}, to turn counters into a fraction over the interval. */
    private long[] previousCpuTicks;

    HostMetrics(Path procRoot, long minIntervalNanos) {
        this.procRoot = procRoot;
        this.minIntervalNanos = minIntervalNanos;
    }

    static HostMetrics forThisHost() {
        return new HostMetrics(Path.of("/proc"), 1_000_000_000L);
    }

    synchronized Sample sample() {
        long now = System.nanoTime();
        if (sample == null || now - sampledAtNanos >= minIntervalNanos) {
            sample = new Sample(readCpuUsage(), readMemoryUsage());
            sampledAtNanos = now;
        }
        return sample;
    }

    private double readCpuUsage() {
        long[] ticks = readCpuTicks();
        if (ticks != null && previousCpuTicks != null && ticks[1] > previousCpuTicks[1]) {
            double busy = ticks[0] - previousCpuTicks[0];
            double all = ticks[1] - previousCpuTicks[1];
            previousCpuTicks = ticks;
            return clamp(busy / all);
        }
        if (ticks != null) {
            // First sample: the average since boot, until there is an interval to measure.
            previousCpuTicks = ticks;
            return ticks[1] > 0 ? clamp((double) ticks[0] / ticks[1]) : 0.0;
        }
        // No /proc: the load average per processor.
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int processors = Runtime.getRuntime().availableProcessors();
        return load < 0 ? 0.0 : clamp(load / processors);
    }

    /** {busy, all} jiffies of the aggregate "cpu" line, or null. */
    private long[] readCpuTicks() {
        try {
            List<String> lines = Files.readAllLines(procRoot.resolve("stat"), StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (line.startsWith("cpu ")) {
                    String[] fields = line.trim().split("\\s+");
                    long all = 0;
                    long idle = 0;
                    for (int i = 1; i < fields.length && i <= 8; i++) {
                        long value = Long.parseLong(fields[i]);
                        all += value;
                        if (i == 4 || i == 5) { // idle, iowait
                            idle += value;
                        }
                    }
                    return new long[] {all - idle, all};
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: the caller falls back
        }
        return null;
    }

    private double readMemoryUsage() {
        String meminfo = readProc("meminfo");
        OptionalLong total = meminfoKiB(meminfo, "MemTotal");
        OptionalLong available = meminfoKiB(meminfo, "MemAvailable");
        if (total.isPresent() && available.isPresent() && total.getAsLong() > 0) {
            return clamp(1.0 - (double) available.getAsLong() / total.getAsLong());
        }
        Runtime runtime = Runtime.getRuntime();
        return clamp((double) (runtime.totalMemory() - runtime.freeMemory()) / runtime.maxMemory());
    }

    private String readProc(String file) {
        try {
            return Files.readString(procRoot.resolve(file), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** A "Key:   123 kB" line of /proc/meminfo, in KiB. */
    static OptionalLong meminfoKiB(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] fields = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(fields[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static double clamp(double fraction) {
        if (Double.isNaN(fraction)) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(1.0, fraction));
    }
}
