package io.wasmiot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts with XChart; returns the file names written (relative to the report). */
final class Charts {
    private Charts() {
    }

    static List<String> draw(Results r, Path out) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();

        XYChart cdf = discoveryChart("Discovery: burst start to listed active with description and health (simulator devices)");
        addBursts(cdf, r.bursts);
        if (!cdf.getSeriesMap().isEmpty()) {
            save(cdf, out, "benchmarks-discovery", files);
        }

        XYChart zc = discoveryChart("Discovery, python-zeroconf devices (the reference's kind): burst start to listed complete");
        addBursts(zc, r.zeroconfBursts);
        if (!zc.getSeriesMap().isEmpty()) {
            var ref = zc.addSeries("reference, 100 devices: p50 0.79 s, last 0.90 s", new double[] {0.79, 0.90}, new double[] {50, 100});
            ref.setMarker(SeriesMarkers.DIAMOND);
            ref.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
            var t = zc.addSeries("target: 100 devices p50 0.6 s", new double[] {0.6, 0.6}, new double[] {0, 100});
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DOT_DOT);
            save(zc, out, "benchmarks-discovery-zeroconf", files);
        }

        CategoryChart sweep = new CategoryChartBuilder().width(900).height(520)
                .title("One health sweep: wall time (median of the measured sweeps)").yAxisTitle("seconds").build();
        sweep.getStyler().setLegendPosition(LegendPosition.OutsideS);
        List<String> sc = new ArrayList<>();
        List<Number> ours = new ArrayList<>();
        List<Number> ref = new ArrayList<>();
        List<Number> target = new ArrayList<>();
        for (SweepRun s : new SweepRun[] {r.loadSweep, r.bigSweep}) {
            if (s != null && !s.seconds.isEmpty()) {
                sc.add(s.devices + " devices");
                ours.add(Stats.percentile(s.seconds, 50));
                ref.add(s.devices / 1000.0);
                target.add(s == r.loadSweep ? 0.3 : 0);
            }
        }
        if (!sc.isEmpty()) {
            sweep.addSeries("this gateway", sc, ours);
            sweep.addSeries("reference (~1 ms a device, sequential)", sc, ref);
            sweep.addSeries("target (0.3 s for 1,000)", sc, target);
            save(sweep, out, "benchmarks-sweep", files);
        }

        if (r.lateness != null && (!r.lateness.baseline.isEmpty() || !r.lateness.withSilent.isEmpty())) {
            XYChart late = new XYChartBuilder().width(900).height(520)
                    .title("Lateness of healthy devices' health checks (gap between checks minus the interval)")
                    .xAxisTitle("seconds late").yAxisTitle("% of checks at most this late").build();
            late.getStyler().setLegendPosition(LegendPosition.InsideSE);
            late.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
            addCdf(late, "at spy devices, all answering (" + r.lateness.deviceBaseline.size() + " checks)", r.lateness.deviceBaseline);
            addCdf(late, "at spy devices, " + r.lateness.silent + " never answering (" + r.lateness.deviceWithSilent.size() + " checks)", r.lateness.deviceWithSilent);
            addCdf(late, "timeOfQuery, all answering (" + r.lateness.baseline.size() + " checks)", r.lateness.baseline);
            addCdf(late, "timeOfQuery, " + r.lateness.silent + " never answering (" + r.lateness.withSilent.size() + " checks)", r.lateness.withSilent);
            var t = late.addSeries("target 0.1 s", new double[] {0.1, 0.1}, new double[] {0, 100});
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            save(late, out, "benchmarks-lateness", files);
        }

        CategoryChart mem = new CategoryChartBuilder().width(900).height(520).title("Gateway memory")
                .yAxisTitle("MiB").build();
        mem.getStyler().setLegendPosition(LegendPosition.OutsideS);
        List<String> cats = List.of("0 devices", r.loadDevices + " devices", r.bigDevices + " devices");
        mem.addSeries("RSS", cats, List.of(nz(r.rss0), nz(r.rssLoad), nz(r.rssBig)));
        mem.addSeries("heap after GC", cats, List.of(nz(r.heap0), nz(r.heapLoad), nz(r.heapBig)));
        mem.addSeries("reference RSS (idle; 500 devices)", cats, List.of(49, 150, 0));
        mem.addSeries("target RSS (1,000 devices, 160 MB)", cats, List.of(0, 152.6, 0));
        save(mem, out, "benchmarks-memory", files);
        return files;
    }

    private static XYChart discoveryChart(String title) {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
                .xAxisTitle("seconds after the burst started").yAxisTitle("% of the burst listed").build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return chart;
    }

    /** Each burst's CDF (share of the devices asked for) and, for single bursts, its floor's (dashed). */
    private static void addBursts(XYChart chart, List<Burst> bursts) {
        for (Burst b : bursts) {
            if (b.latencies.isEmpty()) {
                continue;
            }
            int asked = b.size * b.bursts;
            String name = (b.bursts > 1 ? b.bursts + " × 1 device" : b.size + " devices") + " (" + b.latencies.size() + " of " + asked + ")";
            chart.addSeries(name, cdfX(b.latencies), cdfY(b.latencies.size(), asked)).setMarker(SeriesMarkers.NONE);
            List<Double> fl = ReportText.floor(b);
            if (b.bursts == 1 && !fl.isEmpty()) {
                var fs = chart.addSeries("floor, " + b.size + " (jmdns browser + 2 GETs; " + fl.size() + ")", cdfX(fl), cdfY(fl.size(), asked));
                fs.setMarker(SeriesMarkers.NONE);
                fs.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            }
        }
    }

    /** 0 then the sorted values: the steps of a CDF starting at the origin. */
    static double[] cdfX(List<Double> values) {
        double[] x = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] xs = new double[x.length + 1];
        System.arraycopy(x, 0, xs, 1, x.length);
        return xs;
    }

    /** 0 then 100 * (i + 1) / of: a lost device keeps the curve below 100 %. */
    static double[] cdfY(int n, int of) {
        double[] ys = new double[n + 1];
        for (int i = 0; i < n; i++) {
            ys[i + 1] = 100.0 * (i + 1) / of;
        }
        return ys;
    }

    private static void addCdf(XYChart chart, String name, List<Double> values) {
        if (values.isEmpty()) {
            return;
        }
        double[] x = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 100.0 * (i + 1) / x.length;
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    private static Number nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path out, String name, List<String> files)
            throws Exception {
        BitmapEncoder.saveBitmap(chart, out.resolve(name).toString(), BitmapFormat.PNG);
        files.add(name + ".png");
    }
}
