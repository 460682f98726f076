package io.wasmiot.bench;

import static io.wasmiot.bench.Stats.num;
import static io.wasmiot.bench.Stats.sec;

import io.wasmiot.bench.Harness.Burst;
import io.wasmiot.bench.Harness.Results;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** docs/benchmarks.md and its charts. */
final class Report {
    private Report() {
    }

    static void write(Results r, Options o) throws Exception {
        Files.createDirectories(o.out);
        List<String> charts = Charts.draw(r, o.out);
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Produced by one run of\n\n```sh\n").append(o.commandLine).append("\n```\n\n");
        md.append(String.format("on %s, %d cores (`nproc`), %s, in %.0f s. The real jars (`runtime/target/wasmiot-gateway.jar`,\n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneOffset.UTC)),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                r.wallSeconds));
        md.append("`runtime/target/wasmiot-simulator.jar`) as separate processes inside `bin/netns-run` (loopback only).\n");
        md.append("Load average (1/5/15 min) at the start: ").append(r.loadAvgStart).append(", at the end: ").append(r.loadAvgEnd)
                .append(" (the harness, gateway and simulator share the cores; anything else running skews the figures).\n");
        md.append("The reference figures are the ones quoted in issue 8 (reference orchestrator, same kind of machine,\n");
        md.append("python-zeroconf devices). Regenerate with the command above; `bin/benchmark --help` lists the options.\n\n");

        md.append("## Summary\n\n| figure | this gateway | floor | reference | target | |\n|---|---|---|---|---|---|\n");
        for (Burst b : r.bursts) {
            int asked = b.size * b.bursts;
            String what = b.bursts > 1 ? b.bursts + " bursts of 1 device" : "burst of " + b.size + " devices";
            String ref = switch (b.size) {
                case 100 -> "p50 0.79 / last 0.90 s, 100 of 100";
                case 1000, 2000 -> "500-device burst: 180 of 500 found";
                default -> "";
            };
            String target = b.size == 100 ? "p50 ≤ 0.6 s" : b.size == 2000 ? "all found" : "";
            String ok = b.size == 100 ? mark(b.p(50) <= 0.6) : b.size == 2000 ? mark(b.latencies.size() == asked) : "";
            List<Double> fl = floor(b);
            md.append(String.format("| discovery, %s: found; p50 / p95 / max s | %d of %d; %s / %s / %s | %d of %d; %s / %s / %s | %s | %s | %s |\n",
                    what, b.latencies.size(), asked, sec(b.p(50)), sec(b.p(95)), sec(Stats.max(b.latencies)),
                    fl.size(), asked, sec(Stats.percentile(fl, 50)), sec(Stats.percentile(fl, 95)), sec(Stats.max(fl)),
                    ref, target, ok));
        }
        if (!r.sweepSeconds.isEmpty()) {
            double med = Stats.percentile(r.sweepSeconds, 50);
            double max = Stats.max(r.sweepSeconds);
            md.append(String.format("| health sweep of %d devices, wall s: median / max of %d | %s / %s | | ~%.2f (1 ms a device, sequential, no timeout) | ≤ 0.3 s | %s |\n",
                    r.sweepDevices, r.sweepSeconds.size(), sec(med), sec(max), r.sweepDevices / 1000.0, mark(max <= 0.3)));
            double per1000 = r.sweepCpu / r.sweepChecks * 1000;
            double net = (r.sweepCpu - r.idleCpuPerSecond * r.sweepWindowSeconds) / r.sweepChecks * 1000;
            double path = checkPathCpu(r) / r.sweepChecks * 1000;
            md.append(String.format("| gateway CPU s per 1,000 checks: all / minus idle / check path only (no JIT, no serving the harness) | %s / %s / %s | | 0.8 | ≤ 0.4 s | %s |\n",
                    num(per1000, 3), num(net, 3), num(path, 3), mark(per1000 <= 0.4)));
        }
        md.append(String.format("| RSS, MiB: 0 / %d devices | %s / %s | | 49 idle; ~150 with 500 | ≤ 160 MB (152.6 MiB) with 1,000 | %s |\n",
                r.loadDevices, num(r.rss0, 1), num(r.rssLoad, 1), mark(r.rssLoad <= 152.6)));
        md.append(String.format("| heap after GC (`jcmd GC.run`, `GC.heap_info` used; committed), MiB: 0 / %d devices | %s / %s (committed %s / %s) | | | | |\n",
                r.loadDevices, num(r.heap0, 1), num(r.heapLoad, 1), num(r.heapCommitted0, 1), num(r.heapCommittedLoad, 1)));
        double[] st = r.startups.stream().mapToDouble(Double::doubleValue).toArray();
        md.append(String.format("| startup: process start to `GET /file/device` 200, s: first / median of %d | %s / %s | | | ≤ 2 s | %s |\n",
                st.length, st.length > 0 ? sec(st[0]) : "n/a", sec(Stats.median(st)), mark(Stats.median(st) <= 2.0)));
        md.append("\n");
        for (String c : charts) {
            md.append("![").append(c).append("](").append(c).append(")\n\n");
        }

        md.append("## Reading the figures\n\n");
        for (Burst b : r.bursts) {
            List<Double> fl = floor(b);
            if (b.latencies.isEmpty() || fl.isEmpty()) {
                continue;
            }
            md.append(String.format("- %s: the gateway's own share of the p50 is %s s (gateway p50 minus floor p50); it listed %d devices"
                            + " where the independent jmdns browser resolved %d; %d UDP datagrams were dropped for want of"
                            + " receive-buffer room during the burst.%n",
                    b.bursts > 1 ? b.bursts + " bursts of 1" : "Burst of " + b.size, sec(b.p(50) - Stats.percentile(fl, 50)),
                    b.latencies.size(), fl.size(), b.udpRcvbufErrors));
        }
        if (!r.threadCpu.isEmpty()) {
            double jit = r.threadCpu.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToDouble(java.util.Map.Entry::getValue).sum();
            md.append(String.format("- Of the %.2f CPU s measured over the sweeps, the JIT compiler threads took %.2f s (%.0f %%): a\n"
                    + "  gateway started a minute ago is still compiling; see the per-thread table below.%n",
                    r.sweepCpu, jit, 100 * jit / r.sweepCpu));
        }
        if (!Double.isNaN(r.heapCommittedLoad)) {
            md.append(String.format("- With the devices, RSS is %s MiB while the live heap is %s MiB: the JVM's default heap sizing\n"
                    + "  (G1, maximum a quarter of the machine's memory) lets the committed heap grow far beyond the live data;\n"
                    + "  `bin/benchmark --gateway-java-opts \"-XX:NativeMemoryTracking=summary\"` adds the JVM's own breakdown.%n",
                    num(r.rssLoad, 1), num(r.heapLoad, 1)));
        }
        md.append("\n## Method\n\n");
        md.append(String.format("- **Discovery.** For each burst size a fresh gateway (empty data folder, `healthInterval=%d`) and a simulator\n"
                + "  started with `--devices 0 --start-rate %s`, waited until `READY 0`; the burst is `add N` on its stdin\n"
                + "  (t0 = just before the write). A device counts once it is listed `active` with a non-empty `description`\n"
                + "  and a `health.report` object. Its time is the later of the `ADDED` event's arrival on\n"
                + "  `GET /file/device/events` and its first health check's `timeOfQuery` (same clock); that is capped by\n"
                + "  when a poll of `GET /file/device` (every 50 ms up to 100 devices, 250 ms above) first showed it complete,\n"
                + "  and falls back to that poll time when the event or first check was not seen. A burst stops when all\n"
                + "  are found, after %d s without a new device, or after %d s. Bursts of 1 device are repeated %d times.\n",
                o.healthInterval, num(o.startRate, 0), o.stallSeconds, o.burstTimeoutSeconds, o.singleRepeats));
        md.append(String.format("- **Health sweep.** With %d devices listed (the burst's, topped up by a second simulator paced at\n"
                + "  200/s when the burst lost some), `healthInterval=%d`. Half an interval after each sweep starts (the sweep\n"
                + "  is over, the next not begun) `/metrics` gives `wasmiot_health_sweep_seconds` (that sweep's wall time),\n"
                + "  for %d sweeps. CPU = the gateway's utime+stime (`/proc/<pid>/stat`) between the first and the last such\n"
                + "  point, divided by the `wasmiot_health_checks_total` delta; \"minus idle\" subtracts the gateway's idle CPU\n"
                + "  rate with 0 devices (%s CPU s/s) over the same window; \"check path only\" sums the per-thread CPU\n"
                + "  below without the JIT compiler threads, Jetty's `qtp` pool (it serves the harness's `/metrics` polls)\n"
                + "  and the attach listener. %d warm-up sweeps run first, unmeasured.\n",
                r.sweepDevices, o.healthInterval, o.sweeps, num(r.idleCpuPerSecond, 4), o.warmupSweeps));
        md.append("- **Floor.** An independent jmdns 3.6.5 browser in the harness process (same namespace, bound to\n"
                + "  127.0.0.1, started before every burst) records when it first resolves each device with an address and\n"
                + "  port; to that is added the median time of one sequential GET description + GET health to a listed device\n"
                + "  from the harness (20 tries, JDK HttpClient, warm). That is what any gateway built on jmdns must wait for.\n");
        md.append("- **Warm-up.** Before each burst size, one device (the first name of the prefix) is added and waited for,\n"
                + "  so the simulator's JmDNS responder and the gateway's browser are both running; it is not counted.\n");
        md.append("- **Memory.** `VmRSS` from `/proc/<pid>/status`, then `jcmd <pid> GC.run` and `GC.heap_info` (used).\n"
                + "  0 devices: 8 s after the gateway answered; with devices: after the sweeps. Default JVM flags (G1,\n"
                + "  heap sized by the JVM from the machine's memory).\n");
        if (!o.gatewayJavaOpts.isEmpty()) {
            md.append("- **Gateway JVM options** for this run: `").append(String.join(" ", o.gatewayJavaOpts)).append("`.\n");
        }
        md.append("- **Drops.** `RcvbufErrors` of the namespace's UDP counters (`/proc/net/snmp`) across each burst: mDNS\n"
                + "  datagrams some socket (gateway, floor browser or simulator responder) had no buffer room for.\n");
        md.append("- **Startup.** Process spawn (`ProcessBuilder.start`) to the first `200` of `GET /file/device`, polled\n"
                + "  every 20 ms; one sample per gateway started in the run.\n\n");

        md.append("## Bursts in detail\n\n| devices | found | p50 s | p95 s | max s | jmdns browser saw | its p50 / max s | 2 GETs s | UDP receive-buffer drops (namespace) | simulator `READY` after s | stopped by | timed from event + first check |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Burst b : r.bursts) {
            md.append(String.format("| %s | %d of %d | %s | %s | %s | %d | %s / %s | %s | %d | %s | %s | %d of %d |\n",
                    b.bursts > 1 ? b.bursts + " × 1" : Integer.toString(b.size), b.latencies.size(), b.size * b.bursts,
                    sec(b.p(50)), sec(b.p(95)), sec(Stats.max(b.latencies)), b.mdnsSeconds.size(),
                    sec(Stats.percentile(b.mdnsSeconds, 50)), sec(Stats.max(b.mdnsSeconds)), Stats.num(b.httpPairSeconds, 4),
                    b.udpRcvbufErrors, sec(b.simReadySeconds), b.stoppedBy == null ? "all found" : b.stoppedBy, b.refined, b.latencies.size()));
        }
        if (!r.sweepSeconds.isEmpty()) {
            md.append(String.format("%nSweeps (s): %s; CPU %.3f s over %.1f s for %.0f checks; health check failures so far: %.0f.%n",
                    r.sweepSeconds, r.sweepCpu, r.sweepWindowSeconds, r.sweepChecks, r.checkFailures));
        }
        md.append("\n");
        if (!r.notes.isEmpty()) {
            md.append("## Notes from this run\n\n");
            for (String n : r.notes) {
                md.append("- ").append(n).append("\n");
            }
            md.append("\n");
        }
        if (!r.threadCpu.isEmpty()) {
            md.append(String.format("## Gateway CPU by thread during the %d sweeps%n%nutime+stime deltas of `/proc/<pid>/task/*/stat` over the same window as the CPU figure (%.3f s in all; thread names with digits folded to N):%n%n| thread | CPU s | share |%n|---|---|---|%n",
                    r.sweepSeconds.size(), r.sweepCpu));
            r.threadCpu.entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(14)
                    .forEach(e -> md.append(String.format("| `%s` | %.2f | %.0f %% |%n", e.getKey(), e.getValue(), 100 * e.getValue() / r.sweepCpu)));
            md.append("\n");
        }
        md.append(String.format("Gateway threads: %d with 0 devices, %d with %d devices (`/proc/<pid>/status`).%n%n",
                r.threads0, r.threadsLoad, r.loadDevices));
        if (r.nativeMemory != null) {
            md.append("`jcmd <pid> VM.native_memory summary` with the devices (committed per JVM area):\n\n```\n")
                    .append(r.nativeMemory).append("\n```\n\n");
        }
        if (r.histogram != null) {
            md.append(String.format("## What the heap holds with %d devices%n%nTop of `jcmd <pid> GC.class_histogram` (after the GC above):%n%n```%n", r.loadDevices))
                    .append(r.histogram).append("\n```\n\n");
        }
        if (r.profile != null) {
            md.append(String.format("## Where the gateway's CPU goes during sweeps of %d devices%n%n", r.loadDevices));
            md.append("Recorded after the figures above (JFR adds its own cost), `jcmd JFR.start settings=profile` for ")
                    .append(o.profileSeconds).append(" s, summarised from `jfr print --events jdk.ExecutionSample`; the\n")
                    .append("recording is `sweeps.jfr` in the run's folder.\n\n");
            md.append(r.profile.markdown(15)).append("\n");
        }
        md.append("Logs of this run (gateway and simulator, per burst size) are in `").append(o.work).append("`.\n");
        Files.writeString(o.out.resolve("benchmarks.md"), md.toString());
    }

    /** Thread CPU minus JIT compiler threads, Jetty's pool (serving the harness's polls) and the attach listener (jcmd). */
    static double checkPathCpu(Results r) {
        if (r.threadCpu.isEmpty()) {
            return Double.NaN;
        }
        return r.threadCpu.entrySet().stream()
                .filter(e -> !e.getKey().contains("CompilerThre") && !e.getKey().startsWith("qtp")
                        && !e.getKey().startsWith("Attach"))
                .mapToDouble(java.util.Map.Entry::getValue).sum();
    }

    /** Floor latencies of a burst: jmdns resolution + one description/health pair. */
    static List<Double> floor(Burst b) {
        double pair = Double.isNaN(b.httpPairSeconds) ? 0 : b.httpPairSeconds;
        return b.mdnsSeconds.stream().map(v -> v + pair).toList();
    }

    private static String mark(boolean met) {
        return met ? "met" : "**missed**";
    }

    static List<String> names() {
        return new ArrayList<>();
    }
}
