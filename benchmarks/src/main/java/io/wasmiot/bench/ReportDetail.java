package io.wasmiot.bench;

import static io.wasmiot.bench.Stats.sec;

import java.util.ArrayList;
import java.util.List;

/** The report's tail: every burst in detail, the run's notes, CPU by thread, what the heap holds, the profile. */
final class ReportDetail {
    private ReportDetail() {
    }

    static void append(StringBuilder md, Results r, Options o) {
        md.append("## Bursts in detail\n\n| devices | found | p50 s | p95 s | max s | jmdns browser saw | its p50 / max s | 2 GETs s | UDP receive-buffer drops (namespace) | devices `READY` after s (python-zeroconf: all probed, all announced) | stopped by | timed from event + first check |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Burst> detail = new ArrayList<>(r.zeroconfBursts);
        detail.addAll(r.bursts);
        for (Burst b : detail) {
            md.append(String.format("| %s | %d of %d | %s | %s | %s | %d | %s / %s | %s | %d | %s | %s | %d of %d |\n",
                    (b.bursts > 1 ? b.bursts + " × 1" : Integer.toString(b.size)) + (b.zeroconf ? " python-zeroconf" : ""),
                    b.latencies.size(), b.size * b.bursts,
                    sec(b.p(50)), sec(b.p(95)), sec(Stats.max(b.latencies)), b.mdnsSeconds.size(),
                    sec(Stats.percentile(b.mdnsSeconds, 50)), sec(Stats.max(b.mdnsSeconds)), Stats.num(b.httpPairSeconds, 4),
                    b.udpRcvbufErrors, b.zeroconf ? "PROBED " + sec(b.probedSeconds) + ", READY " + sec(b.simReadySeconds)
                            : sec(b.simReadySeconds), b.stoppedBy == null ? "all found" : b.stoppedBy, b.refined, b.latencies.size()));
        }
        for (SweepRun s : new SweepRun[] {r.loadSweep, r.bigSweep}) {
            if (s != null && !s.seconds.isEmpty()) {
                md.append(String.format("%nSweeps of %d devices (s): %s; CPU %.3f s over %.1f s for %.0f checks; health check failures so far: %.0f.%n",
                        s.devices, s.seconds, s.cpu, s.window, s.checks, s.failures));
            }
            if (s != null && s.note != null) {
                md.append("\n").append(s.note).append("\n");
            }
        }
        md.append("\n");
        if (!r.notes.isEmpty()) {
            md.append("## Notes from this run\n\n");
            for (String n : r.notes) {
                md.append("- ").append(n).append("\n");
            }
            md.append("\n");
        }
        if (r.loadSweep != null && !r.loadSweep.threadCpu.isEmpty()) {
            SweepRun ls = r.loadSweep;
            md.append(String.format("## Gateway CPU by thread during the %d sweeps of %d devices%n%nutime+stime deltas of `/proc/<pid>/task/*/stat` over the same window as the CPU figure (%.3f s in all; thread names with digits folded to N):%n%n| thread | CPU s | share |%n|---|---|---|%n",
                    ls.seconds.size(), ls.devices, ls.cpu));
            ls.threadCpu.entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(14)
                    .forEach(e -> md.append(String.format("| `%s` | %.2f | %.0f %% |%n", e.getKey(), e.getValue(), 100 * e.getValue() / ls.cpu)));
            md.append("\n");
        }
        for (Burst b : r.zeroconfBursts) {
            if (b.size < 100 || b.threadCpu.isEmpty()) {
                continue;
            }
            md.append(String.format("## Gateway CPU by thread during the %d-device python-zeroconf burst%n%nutime+stime deltas of "
                    + "`/proc/<pid>/task/*/stat` from the burst's start to its last device listed (%.3f s in all, the table's "
                    + "gateway CPU; a thread that ended meanwhile is missing; JVM threads: `C1 CompilerThre` compiles, "
                    + "`VM Thread` collects garbage):%n%n| thread | CPU s | share |%n|---|---|---|%n", b.size, b.gatewayCpuSeconds));
            b.threadCpu.entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(14)
                    .forEach(e -> md.append(String.format("| `%s` | %.2f | %.0f %% |%n", e.getKey(), e.getValue(),
                            100 * e.getValue() / b.gatewayCpuSeconds)));
            md.append("\n");
        }
        ReportMachine.append(md, r);
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
    }
}
