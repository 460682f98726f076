package io.wasmiot.bench;

import java.util.List;

/** What the report's sections share: the met/missed mark, chart links, and the value lists they judge. */
final class ReportText {
    private ReportText() {
    }

    /** Floor latencies of a burst: jmdns resolution + one description/health pair. */
    static List<Double> floor(Burst b) {
        double pair = Double.isNaN(b.httpPairSeconds) ? 0 : b.httpPairSeconds;
        return b.mdnsSeconds.stream().map(v -> v + pair).toList();
    }

    /** A 1,000-device target is judged only with at least 900 devices (the count is in the row). */
    static String at1000(int devices, boolean met) {
        return devices >= 900 ? mark(met) : "n/a (" + devices + " devices)";
    }

    static void chart(StringBuilder md, List<String> charts, String name) {
        if (charts.contains(name)) {
            md.append("![").append(name).append("](").append(name).append(")\n\n");
        }
    }

    static List<Double> clean(List<Double> v) {
        return v.stream().filter(d -> !d.isNaN()).toList();
    }

    /** Max of the values; NaN (a device never listed) wins, so a lost device is never hidden. */
    static double max(List<Double> v) {
        return v.stream().anyMatch(d -> d.isNaN()) ? Double.NaN : Stats.max(v);
    }

    static String mark(boolean met) {
        return met ? "met" : "**missed**";
    }
}
