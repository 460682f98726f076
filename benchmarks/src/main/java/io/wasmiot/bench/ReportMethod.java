package io.wasmiot.bench;

import static io.wasmiot.bench.Stats.num;

/** The report's "Method": how each figure was measured, with this run's settings. */
final class ReportMethod {
    private ReportMethod() {
    }

    static void append(StringBuilder md, Results r, Options o) {
        md.append("\n## Method\n\n");
        md.append(String.format("- **Discovery.** For each burst size a fresh gateway (empty data folder, `healthInterval=%d`) and a simulator\n"
                + "  started with `--devices 0 --start-rate %s`, waited until `READY 0`; the burst is `add N` on its stdin\n"
                + "  (t0 = just before the write). A device counts once it is listed `active` with a non-empty `description`\n"
                + "  and a `health.report` object. Its time is the later of the `ADDED` event's arrival on\n"
                + "  `GET /file/device/events` and its `lastSeen` after its first health check (when the gateway took in\n"
                + "  that check's answer; the store write follows as soon as the writer is free; same clock); that is capped\n"
                + "  by the answer of the poll of `GET /file/device` (every 250 ms; faster polls load the 2 cores the gateway\n"
                + "  needs) that first showed it complete, and falls back to that poll time when the event or first check\n"
                + "  was not seen. Before each burst the devices' side answers 200 description and health requests on new\n"
                + "  connections (the simulator serving them is a JVM started for the burst;\n"
                + "  its cold first answers would take the gateway's CPU; devices are not freshly started JVMs). A burst stops when all\n"
                + "  are found, after %d s without a new device, or after %d s. Bursts of 1 device are repeated %d times.\n",
                o.healthInterval, num(o.startRate, 0), o.stallSeconds, o.burstTimeoutSeconds, o.singleRepeats));
        md.append(String.format("- **Discovery, python-zeroconf devices** (the reference's kind; sizes %s, run before the simulator's\n"
                + "  bursts). For each size a fresh gateway as above; a simulator started with `--no-mdns` (no mDNS at all)\n"
                + "  serves the devices' HTTP: `add N` on its stdin, its `UP name address:port` lines give each device's name\n"
                + "  and port. `benchmarks/zeroconf-fleet.py` (`/usr/bin/python3`, Debian's python3-zeroconf, one\n"
                + "  `AsyncZeroconf` bound to 127.0.0.1, IPv4 only) is handed those devices (`add NAME PORT`..., then\n"
                + "  `queued`, answered once it has read them all); t0 = just before `go` is written, which registers them\n"
                + "  all at once (`asyncio.gather` of `async_register_service`): each probed 3 times 175 ms apart, then\n"
                + "  announced; service `NAME._webthing._tcp.local.`, server `NAME.local.`, TXT `path=/ tls=0 address=127.0.0.1`.\n"
                + "  A device's time and the stop rules are exactly those of the simulator's bursts. One python\n"
                + "  device is added and listed first (warm-up, not counted); bursts of 1 are repeated %d times. The floors\n"
                + "  are measured apart, after the gateway's burst: the same burst again with new names and no gateway\n"
                + "  running, seen by a jmdns browser that starts empty and by the wire listener (run beside the gateway,\n"
                + "  the browser's own CPU, jmdns's work on every record, would slow the gateway on 2 cores).\n",
                r.options.zeroconfSizes.isEmpty() ? "none" : r.options.zeroconfSizes.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")), o.singleRepeats));
        md.append(String.format("- **Health sweep.** With %d devices listed (the burst's, topped up by a second simulator paced at\n"
                + "  200/s, advertising and registering, when the burst lost some), `healthInterval=%d`. Half an interval after each sweep starts (the sweep\n"
                + "  is over, the next not begun) `/metrics` gives `wasmiot_health_sweep_seconds` (that sweep's wall time),\n"
                + "  for %d sweeps. CPU = the gateway's utime+stime (`/proc/<pid>/stat`) between the first and the last such\n"
                + "  point, divided by the `wasmiot_health_checks_total` delta; \"minus idle\" subtracts the gateway's idle CPU\n"
                + "  rate with 0 devices (%s CPU s/s) over the same window; \"check path only\" sums the per-thread CPU\n"
                + "  below without the JIT compiler threads, Jetty's `qtp` pool (it serves the harness's `/metrics` polls)\n"
                + "  and the attach listener. %d warm-up sweeps run first, unmeasured. With %d devices: a fresh gateway\n"
                + "  (`healthInterval=%d`), the devices started by one simulator (%s), %d warm-up and %d measured sweeps,\n"
                + "  sampled at 0.8 of an interval. Before the warm-up sweeps the harness waits until the gateway's mDNS\n"
                + "  burst catch-up is over (`wasmiot_mdns_catchup_pending` 0 for 3 s; at most 150 s): the devices have\n"
                + "  joined and the sweeps run as they do from then on, not beside the catch-up's answer storms (waited\n"
                + "  %s s with %d devices, %s s with %d).\n",
                r.loadSweep == null ? 0 : r.loadSweep.devices, o.healthInterval, o.sweeps, num(r.idleCpuPerSecond, 4), o.warmupSweeps,
                o.bigSize, o.bigHealthInterval, r.bigHow == null ? "not run" : r.bigHow, o.bigWarmupSweeps, o.bigSweeps,
                r.loadSweep == null ? "n/a" : num(r.loadSweep.mdnsSettleSeconds, 0), r.loadSweep == null ? 0 : r.loadSweep.devices,
                r.bigSweep == null ? "n/a" : num(r.bigSweep.mdnsSettleSeconds, 0), r.bigSweep == null ? 0 : r.bigSweep.devices));
        md.append("- **Floor.** An independent jmdns 3.6.5 browser in the harness process (same namespace, bound to\n"
                + "  127.0.0.1, started before every burst) records when it first resolves each device with an address and\n"
                + "  port; to that is added the median time of one sequential GET description + GET health to a listed\n"
                + "  simulated device from the harness (20 tries, JDK HttpClient, warm), measured on each burst's gateway.\n"
                + "  That is what any gateway built on jmdns must wait for. A new browser per burst size (its cache starts\n"
                + "  empty); beside the simulator's bursts it runs during the gateway's burst, for the python-zeroconf\n"
                + "  bursts in a pass of its own (above).\n");
        md.append("- **Warm-up.** Before each burst size, one device (the first name of the prefix) is added and waited for,\n"
                + "  so the devices' responder (simulator or python-zeroconf) and the gateway's browser are both running; it\n"
                + "  is not counted.\n");
        md.append("- **Memory.** `VmRSS` from `/proc/<pid>/status`, then `jcmd <pid> GC.run` and `GC.heap_info` (used).\n"
                + "  0 devices: 8 s after the gateway answered; with devices: after the sweeps, before the lateness and REST\n"
                + "  phases. The JVM flags are the ones above.\n");
        md.append("- **Drops.** `RcvbufErrors` of the namespace's UDP counters (`/proc/net/snmp`) across each burst: mDNS\n"
                + "  datagrams some socket (gateway, floor browser, simulator or python-zeroconf responder) had no buffer room for.\n");
        md.append(String.format("- **Startup.** Process spawn (`ProcessBuilder.start`) to the first `200` of `GET /file/device`, polled\n"
                + "  every 20 ms; one sample per gateway started in the run. With devices: a simulator with %d devices is up\n"
                + "  (and quiet for 2 s) before each of %d fresh gateways (empty data folder) is spawned; `GET /file/device`\n"
                + "  is polled every 20 ms for the first and the last device listed complete.\n", o.startupDevices, o.startupRuns));
        md.append(String.format("- **REST.** `io.wasmiot.bench.LoadClient` in its own JVM (`-Xmx256m -XX:+UseSerialGC`): %d threads, each\n"
                + "  with its own JDK HttpClient (one kept-alive HTTP/1.1 connection), sending `GET /file/device` one after\n"
                + "  another; %d s unrecorded, then %d s recorded; nearest-rank percentiles of every request's time.\n\n",
                o.restThreads, o.restWarmupSeconds, o.restSeconds));
    }
}
