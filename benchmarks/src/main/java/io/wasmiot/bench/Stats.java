package io.wasmiot.bench;

import java.util.Arrays;
import java.util.Collection;

/** Pure helpers: percentiles and formatting. */
public final class Stats {
    private Stats() {
    }

    /**
     * Nearest-rank percentile (the smallest value with at least {@code p} percent of the values at or
     * below it); {@code NaN} for no values.
     */
    public static double percentile(Collection<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " outside (0, 100]");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public static double max(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public static double median(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Seconds with 3 decimals, or "n/a". */
    public static String sec(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", seconds);
    }

    public static String num(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    /** The value of an unlabelled Prometheus sample {@code name}, or NaN. */
    public static double metric(String prometheusText, String name) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + " ")) {
                try {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }

    /** "total NNNK" (committed) of the heap line in {@code jcmd GC.heap_info} output, in MiB, or NaN. */
    public static double heapCommittedMiB(String heapInfo) {
        var m = java.util.regex.Pattern.compile("(?m)^\\s*\\S.*?heap\\s+total\\s+(\\d+)K").matcher(heapInfo);
        if (m.find()) {
            return Long.parseLong(m.group(1)) / 1024.0;
        }
        // Serial/Parallel: one line per generation
        var g = java.util.regex.Pattern.compile("(?m)^\\s*\\S.*?(?:generation|gen)\\s+total\\s+(\\d+)K").matcher(heapInfo);
        long sum = 0;
        boolean any = false;
        while (g.find()) {
            sum += Long.parseLong(g.group(1));
            any = true;
        }
        return any ? sum / 1024.0 : Double.NaN;
    }

    /** UDP RcvbufErrors of this network namespace ({@code /proc/net/snmp}), or -1. */
    public static long udpRcvbufErrors(String snmp) {
        String[] lines = snmp.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                String[] k = lines[i].trim().split("\\s+");
                String[] v = lines[i + 1].trim().split("\\s+");
                for (int j = 0; j < k.length && j < v.length; j++) {
                    if (k[j].equals("RcvbufErrors")) {
                        return Long.parseLong(v[j]);
                    }
                }
            }
        }
        return -1;
    }

    /**
     * Drops of the mDNS sockets (local port 5353) in {@code /proc/net/udp} text, summed by who owns
     * each socket: {@code owners} maps socket inode to a name; unknown inodes count as "other".
     */
    public static java.util.Map<String, Long> mdnsDropsByOwner(String procNetUdp, java.util.Map<Long, String> owners) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (String line : procNetUdp.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 13 || !f[1].endsWith(":14E9")) {
                continue;
            }
            try {
                long inode = Long.parseLong(f[9]);
                long drops = Long.parseLong(f[f.length - 1]);
                out.merge(owners.getOrDefault(inode, "other"), drops, Long::sum);
            } catch (NumberFormatException e) {
                // the header
            }
        }
        return out;
    }

    /** "used NNNK" of the heap line in {@code jcmd GC.heap_info} output, in MiB, or NaN. */
    public static double heapUsedMiB(String heapInfo) {
        var m = java.util.regex.Pattern.compile("(?m)^\\s*\\S.*?heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K")
                .matcher(heapInfo);
        if (m.find()) {
            return Long.parseLong(m.group(1)) / 1024.0;
        }
        // Serial/Parallel: one line per generation
        var g = java.util.regex.Pattern.compile("(?m)^\\s*\\S.*?(?:generation|gen)\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K")
                .matcher(heapInfo);
        long sum = 0;
        boolean any = false;
        while (g.find()) {
            sum += Long.parseLong(g.group(1));
            any = true;
        }
        return any ? sum / 1024.0 : Double.NaN;
    }
}
