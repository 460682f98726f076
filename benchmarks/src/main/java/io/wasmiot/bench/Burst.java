package io.wasmiot.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One burst size's results. */
final class Burst {
    final int size;
    int bursts = 1;
    /** Devices advertised by python-zeroconf (benchmarks/zeroconf-fleet.py), not the simulator's JmDNS. */
    boolean zeroconf;
    /** python-zeroconf: the latest, over the repeats, of burst start to every device probed (first announcement sent). */
    double probedSeconds = Double.NaN;
    int refined;
    final List<Double> latencies = new ArrayList<>();
    double simReadySeconds = Double.NaN;
    double httpPairSeconds = Double.NaN;
    /** The gateway's CPU (user + system) from the burst's start to its last device listed, summed over the repeats. */
    double gatewayCpuSeconds = Double.NaN;
    long udpRcvbufErrors;
    /** When the independent jmdns browser resolved each device of the burst, seconds after the burst. */
    final List<Double> mdnsSeconds = new ArrayList<>();
    final Set<String> floorNames = new HashSet<>();
    /** When each device's first SRV record was seen on the wire, seconds after the burst. */
    final List<Double> wireSeconds = new ArrayList<>();
    /** Datagrams the mDNS sockets (port 5353) dropped during the burst, by owning process (/proc/net/udp). */
    final java.util.Map<String, Long> mdnsDrops = new java.util.TreeMap<>();
    final Set<String> wireNames = new HashSet<>();
    /** The gateway's CPU by thread (names with digits folded to N) over the same windows as {@link #gatewayCpuSeconds}. */
    final java.util.Map<String, Double> threadCpu = new java.util.HashMap<>();
    String stoppedBy;
    /** A second burst of the same size on the gateway that served the first (its code compiled). */
    boolean warm;
    /** /proc/stat over the burst (python-zeroconf bursts: sampled at each poll). */
    final MachineCpu machine = new MachineCpu();
    long startNanos;
    /** CPU seconds over the burst of the processes beside the gateway: the python fleet, the simulator serving HTTP, the harness. */
    double fleetCpuSeconds = Double.NaN;
    double simulatorCpuSeconds = Double.NaN;
    double harnessCpuSeconds = Double.NaN;

    Burst(int size) {
        this.size = size;
    }

    double p(double q) {
        return Stats.percentile(latencies, q);
    }
}
