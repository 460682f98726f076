package io.wasmiot.bench;

import static io.wasmiot.bench.ReportText.*;
import static io.wasmiot.bench.Stats.num;
import static io.wasmiot.bench.Stats.sec;

import java.nio.file.Files;
import java.util.List;

/** Sections 2 to 6 of the report (health sweep, memory, startup, REST, hot-swap gap) and the JMH table. */
final class ReportFigures {
    private ReportFigures() {
    }

    static void append(StringBuilder md, Results r, Options o, List<String> charts) {
        // 2. sweeps
        md.append("## 2. Health sweep\n\n| figure | this gateway | reference | target | |\n|---|---|---|---|---|\n");
        for (SweepRun s : new SweepRun[] {r.loadSweep, r.bigSweep}) {
            if (s == null || s.seconds.isEmpty()) {
                continue;
            }
            boolean load = s == r.loadSweep;
            double med = Stats.percentile(s.seconds, 50);
            double max = Stats.max(s.seconds);
            md.append(String.format("| one sweep of %d devices, wall s: median / max of %d | %s / %s | ~%.1f (1 ms a device, sequential) | %s | %s |\n",
                    s.devices, s.seconds.size(), sec(med), sec(max), s.devices / 1000.0,
                    load ? "≤ 0.3 s (1,000 devices)" : "none for 5,000", load ? at1000(s.devices, max <= 0.3) : ""));
            double per1000 = s.cpuPer1000();
            if (load) {
                double net = (s.cpu - r.idleCpuPerSecond * s.window) / s.checks * 1000;
                double path = checkPathCpu(s) / s.checks * 1000;
                md.append(String.format("| gateway CPU s per 1,000 checks (%d devices): all / minus idle / check path only (no JIT, no serving the harness) | %s / %s / %s | 0.8 | ≤ 0.4 s (judged on all) | %s |\n",
                        s.devices, num(per1000, 3), num(net, 3), num(path, 3), at1000(s.devices, per1000 <= 0.4)));
            } else {
                md.append(String.format("| gateway CPU s per 1,000 checks (%d devices): all / check path only | %s / %s | 0.8 | | |\n",
                        s.devices, num(per1000, 3), num(checkPathCpu(s) / s.checks * 1000, 3)));
            }
        }
        Lateness l = r.lateness;
        latenessRows(md, r.lateness);
        latenessRows(md, r.bigLateness);
        md.append("\n");
        if (l != null) {
            md.append(String.format("Lateness = the time between two successive health checks of one healthy device minus the\n"
                    + "configured `healthInterval` (%d s); a negative value is a check that came early. It is measured twice:\n"
                    + "where the checks arrive, at %d spy devices the harness runs itself (JDK HttpServer on 127.0.0.1, registered\n"
                    + "through `POST /file/device/discovery/register`, answering a simulated device's own description and health;\n"
                    + "each `GET /health`'s arrival time) — this is the figure judged; and for every healthy device from its\n"
                    + "`health.timeOfQuery` (read by polling `GET /file/device` every %s s), which is when the core *issued* the\n"
                    + "check: a check queued behind the prober's concurrency limit shows there as on time. The silent devices use\n"
                    + "the simulator's `slow` fault (`--slow-delay 600`): they accept the connection and never answer within the\n"
                    + "gateway's read timeout: the gateway counted %s failed health checks during that window.\n\n",
                    l.interval, l.spies, num(l.pollSeconds, 2), num(l.failuresWithSilent, 0)));
        }
        chart(md, charts, "benchmarks-sweep.png");
        chart(md, charts, "benchmarks-lateness.png");

        // 3. memory
        md.append("## 3. Memory\n\n| figure | this gateway | reference | target | |\n|---|---|---|---|---|\n");
        md.append(String.format("| RSS, MiB: 0 / %d / %d devices | %s / %s / %s | 49 idle; ~150 with 500 | ≤ 160 MB (152.6 MiB) with 1,000 | %s |\n",
                r.loadDevices, r.bigDevices, num(r.rss0, 1), num(r.rssLoad, 1), num(r.rssBig, 1),
                Double.isNaN(r.rssLoad) ? "n/a" : at1000(r.loadDevices, r.rssLoad <= 152.6)));
        md.append(String.format("| heap after GC, MiB: 0 / %d / %d devices (committed) | %s / %s / %s (%s / %s / %s) | | | |\n",
                r.loadDevices, r.bigDevices, num(r.heap0, 1), num(r.heapLoad, 1), num(r.heapBig, 1),
                num(r.heapCommitted0, 1), num(r.heapCommittedLoad, 1), num(r.heapCommittedBig, 1)));
        md.append(String.format("| threads; open file descriptors (sockets): 0 / %d / %d devices | %d; %d (%d) / %d; %d (%d) / %d; %d (%d) | | | |\n\n",
                r.loadDevices, r.bigDevices, r.threads0, r.fds0[0], r.fds0[1], r.threadsLoad, r.fdsLoad[0], r.fdsLoad[1],
                r.threadsBig, r.fdsBig[0], r.fdsBig[1]));
        chart(md, charts, "benchmarks-memory.png");

        // 4. startup
        double[] st = r.startups.stream().mapToDouble(Double::doubleValue).toArray();
        md.append("## 4. Startup\n\n| figure | this gateway | target | |\n|---|---|---|---|\n");
        md.append(String.format("| process start to `GET /file/device` 200, s: median / max of %d gateways started in this run | %s / %s | ≤ 2 s | %s |\n",
                st.length, sec(Stats.median(st)), sec(max(r.startups)), st.length == 0 ? "n/a" : mark(Stats.median(st) <= 2.0)));
        if (!r.startupFirst.isEmpty()) {
            double[] first = r.startupFirst.stream().mapToDouble(Double::doubleValue).toArray();
            double[] all = r.startupAll.stream().mapToDouble(Double::doubleValue).toArray();
            md.append(String.format("| process start to the first device listed, %d devices already advertising, s: median / max of %d | %s / %s | ≤ 2 s, if the target covers it | %s |\n",
                    o.startupDevices, first.length, sec(Stats.median(first)), sec(max(r.startupFirst)), mark(Stats.median(first) <= 2.0)));
            md.append(String.format("| process start to all %d devices listed, s: median / max | %s / %s | | |\n",
                    o.startupDevices, sec(Stats.median(all)), sec(max(r.startupAll))));
        }
        md.append("\nReference: not quoted in issue 8.\n\n");

        // 5. REST
        RestLoad rest = r.rest;
        md.append("## 5. REST: `GET /file/device`\n\n");
        if (rest == null) {
            md.append("Not measured in this run.\n\n");
        } else if (rest.failure != null) {
            md.append("Failed: ").append(rest.failure).append("\n\n");
        } else {
            md.append("| figure | this gateway |\n|---|---|\n");
            md.append(String.format("| throughput with %d devices, %d client threads in a second JVM, requests/s | %s |\n", rest.devices, rest.threads, num(rest.rps, 1)));
            md.append(String.format("| latency s: p50 / p99 / max | %s / %s / %s |\n", sec(rest.p50), sec(rest.p99), sec(rest.max)));
            md.append(String.format("| requests / errors in %s s; mean body | %d / %d; %s KiB |\n", num(rest.seconds, 1), rest.requests, rest.errors, num(rest.meanBytes / 1024.0, 1)));
            md.append(String.format("| gateway CPU s per request (utime+stime over the measured window) | %s |\n\n",
                    num(rest.gatewayCpu / Math.max(1, rest.requests), 4)));
            md.append("No reference figure or target in issue 8. The load client shares the 2 cores with the gateway (and the\n"
                    + "gateway keeps sweeping): the figure is what this machine gives with both on it.\n\n");
        }

        // 6. hot swap
        md.append("## 6. Hot-swap gap\n\n");
        if (r.swapMdns.isEmpty() && r.swapProbe.isEmpty()) {
            md.append("Not measured in this run.\n\n");
        } else {
            double base = Stats.percentile(clean(r.swapBaseline), 50);
            md.append("| figure, s: median / max | this gateway | excess over no update (median) | target | |\n|---|---|---|---|---|\n");
            md.append(String.format("| one device added, no update (the baseline: its own announce + introduction) | %s / %s | | | |\n",
                    sec(base), sec(max(r.swapBaseline))));
            for (String[] k : new String[][] {{"mDNS", "m"}, {"probe", "p"}}) {
                List<Double> g = k[1].equals("m") ? r.swapMdns : r.swapProbe;
                double med = Stats.percentile(clean(g), 50);
                md.append(String.format("| %s bundle updated: the update seen to a device added then listed | %s / %s%s | %s | ≤ 1 s (judged on the excess) | %s |\n",
                        k[0], sec(med), sec(max(g)), g.stream().anyMatch(d -> d.isNaN()) ? " (" + g.stream().filter(d -> d.isNaN()).count() + " not listed in 20 s)" : "",
                        sec(med - base), Double.isNaN(med) ? "n/a" : mark(med - base <= 1.0)));
            }
            md.append(String.format("| the console's own delay: POST of the jar to the update seen, mDNS / probe (median) | %s / %s | | | |\n\n",
                    sec(Stats.percentile(clean(r.consoleDelayMdns), 50)), sec(Stats.percentile(clean(r.consoleDelayProbe), 50))));
            md.append(String.format("The update goes through the web console as an operator's would: `POST /system/console/bundles`\n"
                    + "with `action=install` and the bundle's own jar (taken out of the gateway jar), which the console applies as\n"
                    + "an update of the installed bundle in a background thread. The harness polls the bundle's state every\n"
                    + "20 ms; when it leaves `Active` (or its Last Modification changes) the update is seen, one device is added\n"
                    + "to the simulator and timed until it is listed complete. The raw figure includes that device's own\n"
                    + "announce and introduction, so the pause the update adds is the excess over the same add with no update\n"
                    + "(%d of each, on a gateway with %d devices). Reference: not quoted in issue 8.\n\n",
                    r.swapMdns.size(), o.startupDevices));
        }

        jmh(md, o);
    }

    /** Thread CPU minus JIT compiler threads, Jetty's pool (serving the harness's polls) and the attach listener (jcmd). */
    static double checkPathCpu(SweepRun r) {
        if (r.threadCpu.isEmpty()) {
            return Double.NaN;
        }
        return r.threadCpu.entrySet().stream()
                .filter(e -> !e.getKey().contains("CompilerThre") && !e.getKey().startsWith("qtp")
                        && !e.getKey().startsWith("Attach"))
                .mapToDouble(java.util.Map.Entry::getValue).sum();
    }

    /** The hot paths' JMH figures, when bin/benchmark-jmh left its results beside the report. */
    static void jmh(StringBuilder md, Options o) {
        java.nio.file.Path file = o.out.resolve("benchmarks-jmh.json");
        if (!Files.isRegularFile(file)) {
            md.append("## Hot paths (JMH)\n\nNo `benchmarks-jmh.json` beside this report: run `bin/benchmark-jmh`.\n\n");
            return;
        }
        try {
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
            md.append("## Hot paths (JMH)\n\nFrom `bin/benchmark-jmh` (a separate command; results `benchmarks-jmh.json`, written ")
                    .append(Files.getLastModifiedTime(file).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append("). 1 fork, short iterations on 2 shared cores: the error bars are wide.\n\n")
                    .append("| benchmark | params | score | ± error (99.9 %) | unit | forks × iterations |\n|---|---|---|---|---|---|\n");
            for (var b : root) {
                String name = b.path("benchmark").asText();
                name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
                var m = b.path("primaryMetric");
                md.append(String.format("| `%s` | %s | %s | %s | %s | %d × %d |%n", name, b.path("params").toString().replace("\"", ""),
                        num(m.path("score").asDouble(), 1), m.path("scoreError").isNumber() ? num(m.path("scoreError").asDouble(), 1) : "n/a",
                        m.path("scoreUnit").asText(), b.path("forks").asInt(), b.path("measurementIterations").asInt()));
            }
            md.append("\n");
        } catch (Exception e) {
            md.append("## Hot paths (JMH)\n\n`benchmarks-jmh.json` could not be read: ").append(e).append("\n\n");
        }
    }

    private static void latenessRows(StringBuilder md, Lateness l) {
        if (l != null) {
            boolean spied = !l.deviceWithSilent.isEmpty();
            int total = l.silent + l.healthy; // healthy: every device listed active but the silent ones, spies included
            md.append(String.format("| lateness where the checks arrive (%d devices listed, `healthInterval=%d`; %d spy devices), s: p50 / p99 / max, all devices answering (%d gaps) | %s / %s / %s | | | |\n",
                    l.silent + l.healthy, l.interval, l.spies, l.deviceBaseline.size(), sec(Stats.percentile(l.deviceBaseline, 50)), sec(Stats.percentile(l.deviceBaseline, 99)),
                    sec(Stats.max(l.deviceBaseline))));
            md.append(String.format("| **lateness where the checks arrive (%d devices listed; %d spy devices), s: p50 / p99 / max, while %d of %d devices (%s %%) never answer** (%d gaps) | %s / %s / %s | no timeout: one silent device stalls every later check | ≤ 0.1 s (judged on max) | %s |\n",
                    total, l.spies, l.silent, total, num(100.0 * l.silent / total, 1), l.deviceWithSilent.size(),
                    sec(Stats.percentile(l.deviceWithSilent, 50)), sec(Stats.percentile(l.deviceWithSilent, 99)), sec(Stats.max(l.deviceWithSilent)),
                    spied ? mark(Stats.max(l.deviceWithSilent) <= 0.1) : "n/a" + (l.spyFailure == null ? "" : " (" + l.spyFailure + ")")));
            md.append(String.format("| lateness by `health.timeOfQuery` (when the core issued each check), every healthy device, s: p50 / p99 / max, all answering (%d gaps) | %s / %s / %s | | | |\n",
                    l.baseline.size(), sec(Stats.percentile(l.baseline, 50)), sec(Stats.percentile(l.baseline, 99)), sec(Stats.max(l.baseline))));
            md.append(String.format("| lateness by `health.timeOfQuery`, every healthy device, s: p50 / p99 / max, while %d never answer (%d gaps) | %s / %s / %s | | | |\n",
                    l.silent, l.withSilent.size(), sec(Stats.percentile(l.withSilent, 50)), sec(Stats.percentile(l.withSilent, 99)),
                    sec(Stats.max(l.withSilent))));
        }
    }
}
