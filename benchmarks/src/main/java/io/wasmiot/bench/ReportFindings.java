package io.wasmiot.bench;

import static io.wasmiot.bench.ReportText.*;
import static io.wasmiot.bench.Stats.num;
import static io.wasmiot.bench.Stats.sec;

import java.util.ArrayList;
import java.util.List;

/** "Reading the figures": what each figure means in this run, and a sentence for every target it missed. */
final class ReportFindings {
    private ReportFindings() {
    }

    static void append(StringBuilder md, Results r, Options o) {
        md.append("## Reading the figures\n\n");
        Burst z100 = zeroconf100(r);
        if (z100 != null) {
            double f = Stats.percentile(floor(z100), 50);
            md.append(String.format("- The 100-device target (p50 ≤ 0.6 s) is judged on the burst of 100 python-zeroconf devices, the kind the\n"
                    + "  reference's 0.79 s was measured with: p50 %s s, %s; their floor is %s s (jmdns browser + 2 GETs, p50) and their\n"
                    + "  first SRV records were on the wire %s s after the burst (p50), so the gateway's own share is %s s. The\n"
                    + "  simulator's 100-device burst is not judged: its devices' own floor is %s s (one JmDNS responder that\n"
                    + "  throttles probing to 1 s steps).%n",
                    sec(z100.p(50)), z100.p(50) <= 0.6 ? "met" : "missed", sec(f), sec(Stats.percentile(z100.wireSeconds, 50)),
                    sec(z100.p(50) - f), r.bursts.stream().filter(b -> b.size == 100 && b.bursts == 1).findFirst()
                            .map(b -> sec(Stats.percentile(floor(b), 50))).orElse("n/a (not run)")));
        } else {
            md.append("- The 100-device target (p50 ≤ 0.6 s) is not judged in this run: it is judged on a burst of 100 python-zeroconf\n"
                    + "  devices, which did not run (" + (r.zeroconfSkipped != null ? r.zeroconfSkipped
                    : "`--zeroconf-sizes` without 100, or skipped: see the notes") + ").\n");
        }
        List<Burst> all = new ArrayList<>(r.zeroconfBursts);
        all.addAll(r.bursts);
        for (Burst b : all) {
            List<Double> fl = floor(b);
            if (b.latencies.isEmpty() || fl.isEmpty()) {
                continue;
            }
            md.append(String.format("- %s: the gateway's own share of the p50 is %s s (gateway p50 minus floor p50); it listed %d devices"
                            + " where the independent jmdns browser resolved %d and the wire carried the SRV records of %d; %d UDP"
                            + " datagrams were dropped for want of receive-buffer room during the burst%s.%n",
                    (b.bursts > 1 ? b.bursts + " bursts of 1" : "Burst of " + b.size) + (b.zeroconf ? " python-zeroconf device" + (b.size > 1 ? "s" : "")
                            : " simulator device" + (b.size > 1 ? "s" : "")), sec(b.p(50) - Stats.percentile(fl, 50)),
                    b.latencies.size(), fl.size(), b.wireSeconds.size(), b.udpRcvbufErrors,
                    b.mdnsDrops.values().stream().allMatch(v -> v == 0) ? "" : "; by the mDNS sockets (port 5353) of: "
                            + b.mdnsDrops.entrySet().stream().filter(e -> e.getValue() != 0).map(e -> e.getKey() + " " + e.getValue())
                                    .collect(java.util.stream.Collectors.joining(", "))));
        }
        if (r.loadSweep != null && !r.loadSweep.threadCpu.isEmpty()) {
            double jit = r.loadSweep.threadCpu.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToDouble(java.util.Map.Entry::getValue).sum();
            md.append(String.format("- Of the %.2f CPU s measured over the sweeps of %d devices, the JIT compiler threads took %.2f s (%.0f %%); see the per-thread table below.%n",
                    r.loadSweep.cpu, r.loadSweep.devices, jit, 100 * jit / r.loadSweep.cpu));
        }
        if (!Double.isNaN(r.heapCommittedLoad)) {
            md.append(String.format("- With %d devices, RSS is %s MiB while the live heap is %s MiB and the committed heap %s MiB: %s MiB of\n"
                    + "  the RSS is outside the Java heap (metaspace, code cache, thread stacks, GC structures, malloc arenas,\n"
                    + "  direct buffers); this run does not say which. `bin/benchmark --gateway-java-opts \"-XX:NativeMemoryTracking=summary\"`\n"
                    + "  adds the JVM's own breakdown to this report.%n",
                    r.loadDevices, num(r.rssLoad, 1), num(r.heapLoad, 1), num(r.heapCommittedLoad, 1), num(r.rssLoad - r.heapCommittedLoad, 0)));
        }
        for (SweepRun s : new SweepRun[] {r.loadSweep, r.bigSweep}) {
            if (s != null && !s.seconds.isEmpty() && Stats.percentile(s.seconds, 50) > s.interval) {
                md.append(String.format("- Sweeps of %d devices took longer than the %d s interval (median %s s): the next sweep started\n"
                        + "  while checks were still in flight and skipped those devices, so %.0f checks were made where %d whole\n"
                        + "  sweeps would make %d.%n", s.devices, s.interval, sec(Stats.percentile(s.seconds, 50)), s.checks,
                        s.seconds.size(), s.devices * s.seconds.size()));
            }
        }
        for (String m : misses(r, o)) {
            md.append("- **Missed:** ").append(m).append("\n");
        }
    }

    /** The python-zeroconf 100-device burst (the one the 100-device target is judged on), or null. */
    static Burst zeroconf100(Results r) {
        return r.zeroconfBursts.stream().filter(b -> b.size == 100 && b.bursts == 1).findFirst().orElse(null);
    }

    /** Plain sentences for every target this run missed. */
    static List<String> misses(Results r, Options o) {
        List<String> out = new ArrayList<>();
        Burst z = zeroconf100(r);
        if (z != null && !(z.p(50) <= 0.6)) {
            double f = Stats.percentile(floor(z), 50);
            out.add(String.format("burst of 100 python-zeroconf devices: p50 %s s against ≤ 0.6 s (%d of 100 found; the floor's p50 is %s s,"
                            + " the first SRV on the wire %s s, the gateway's own share %s s).%s",
                    sec(z.p(50)), z.latencies.size(), sec(f), sec(Stats.percentile(z.wireSeconds, 50)), sec(z.p(50) - f), f > 0.6
                            ? " The floor alone is past the target in this run: even an independent jmdns browser resolved these devices"
                            + " only " + sec(f) + " s after the burst (p50)."
                            : ""));
        }
        for (Burst b : r.bursts) {
            int asked = b.size * b.bursts;
            if (b.size == 2000 && b.latencies.size() < asked) {
                out.add(String.format("2,000-device burst: %d of %d found (the independent jmdns browser resolved %d).",
                        b.latencies.size(), asked, b.mdnsSeconds.size()));
            }
        }
        if (r.loadSweep != null && !r.loadSweep.seconds.isEmpty() && r.loadSweep.devices >= 900) {
            if (!(Stats.max(r.loadSweep.seconds) <= 0.3)) {
                out.add(String.format("sweep of %d devices: max %s s against ≤ 0.3 s.", r.loadSweep.devices, sec(Stats.max(r.loadSweep.seconds))));
            }
            if (!(r.loadSweep.cpuPer1000() <= 0.4)) {
                out.add(String.format("CPU per 1,000 checks %s s against ≤ 0.4 s.", num(r.loadSweep.cpuPer1000(), 3)));
            }
        }
        for (Lateness l : new Lateness[] {r.lateness, r.bigLateness}) {
            if (l != null && !l.deviceWithSilent.isEmpty() && !(Stats.max(l.deviceWithSilent) <= 0.1)) {
                String line = String.format("with %d devices, healthy devices' checks arrived up to %s s late (p99 %s s) while %d never answer, against ≤ 0.1 s.",
                        l.silent + l.healthy, sec(Stats.max(l.deviceWithSilent)), sec(Stats.percentile(l.deviceWithSilent, 99)), l.silent);
                if (!l.deviceBaseline.isEmpty() && Stats.max(l.deviceBaseline) > 0.1) {
                    // the same spies before any device went silent: the part of the lateness silent devices cannot explain
                    line += String.format(" The same spy devices' checks were up to %s s late before any device went silent"
                            + " (%d gaps), so this much comes from the sweeps' own variation, not from the silent devices.",
                            sec(Stats.max(l.deviceBaseline)), l.deviceBaseline.size());
                }
                out.add(line);
            }
        }
        if (!(r.rssLoad <= 152.6) && !Double.isNaN(r.rssLoad) && r.loadDevices >= 900) {
            out.add(String.format("RSS %s MiB with %d devices against ≤ 160 MB (152.6 MiB).", num(r.rssLoad, 1), r.loadDevices));
        }
        double st = Stats.median(r.startups.stream().mapToDouble(Double::doubleValue).toArray());
        if (!(st <= 2.0) && !r.startups.isEmpty()) {
            out.add(String.format("startup to `GET /file/device` median %s s against ≤ 2 s.", sec(st)));
        }
        double base = Stats.percentile(clean(r.swapBaseline), 50);
        for (var e : java.util.Map.of("mDNS", r.swapMdns, "probe", r.swapProbe).entrySet()) {
            double med = Stats.percentile(clean(e.getValue()), 50);
            if (!e.getValue().isEmpty() && !(med - base <= 1.0)) {
                out.add(String.format("%s bundle update: a device added at the update listed %s s later (median), %s s more than with no update, against ≤ 1 s.",
                        e.getKey(), sec(med), sec(med - base)));
            }
        }
        return out;
    }
}
