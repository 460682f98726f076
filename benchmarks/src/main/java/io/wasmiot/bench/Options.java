package io.wasmiot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of the harness; bin/benchmark passes its own arguments through. */
final class Options {
    boolean quick;
    List<Integer> sizes = List.of(1, 100, 1000, 2000);
    int loadSize = 1000;
    int sweeps = 5;
    int healthInterval = 5;
    int singleRepeats = 5;
    double startRate = 100_000;
    long budgetSeconds = 680;
    int burstTimeoutSeconds = 90;
    int stallSeconds = 15;
    Path out = Path.of("docs");
    Path work = Path.of("/tmp/wasmiot-bench");
    Path gatewayJar = Path.of("runtime/target/wasmiot-gateway.jar");
    Path simulatorJar = Path.of("runtime/target/wasmiot-simulator.jar");
    String commandLine = "bin/benchmark";
    List<String> gatewayJavaOpts = List.of();
    int profileSeconds = 12;
    int warmupSweeps = 6;
    /** The launcher's JVM flags (one a line, # comments); absent = none. "none" = ignore the file. */
    Path jvmOptionsFile = Path.of("runtime/jvm.options");
    /** The gateway's JVM flags actually used: the file's, then --gateway-java-opts (so a repeated flag: the latter wins). */
    List<String> gatewayFlags = List.of();
    String gatewayFlagsSource = "";
    /** Health sweep and memory with many devices (#8: 5,000). 0 = skip. */
    int bigSize = 5000;
    int bigSweeps = 3;
    /** Lateness on the big gateway too (intervals as is, then as many + 1 with 1% silent); 0 = skip. */
    int bigLatenessSweeps = 2;
    int bigWarmupSweeps = 2;
    int bigHealthInterval = 10;
    double bigStartRate = 200;
    /** Fraction of the load-size devices made to never answer for the lateness figure; 0 = skip. */
    double silentFraction = 0.01;
    int latenessSweeps = 5;
    /** Devices in the harness that time each health check's arrival (registered, no mDNS); 0 = none. */
    int spyDevices = 20;
    /** REST load: client threads, warm-up and measured seconds; 0 seconds = skip. */
    int restThreads = 4;
    int restWarmupSeconds = 5;
    int restSeconds = 15;
    /** Startup with devices already advertising: how many devices, how many fresh gateways. 0 = skip. */
    int startupDevices = 20;
    int startupRuns = 3;
    /**
     * Bursts of python-zeroconf devices (benchmarks/zeroconf-fleet.py advertising, a --no-mdns simulator
     * serving their HTTP), a fresh gateway each; the 100-device target is judged on them. Empty = skip.
     */
    List<Integer> zeroconfSizes = List.of(1, 100, 500);
    /** The python with Debian's python3-zeroconf (a pyenv python first on PATH lacks it). */
    Path zeroconfPython = Path.of("/usr/bin/python3");
    Path zeroconfScript = Path.of("benchmarks/zeroconf-fleet.py");
    /** After each python-zeroconf burst of 100 or more, a second one of the same size on the same (now warm) gateway. */
    boolean zeroconfWarm = true;
    /** Hot-swap gap: updates of each of the mDNS and probe bundles (and as many plain adds as a baseline). 0 = skip. */
    int swapRepeats = 3;
    /** The gateway's mDNS receive buffer (bytes; 212992 is a stock kernel's cap); 0 = the gateway's default. */
    int receiveBufferBytes = 0;

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.contains("--quick")) {
            o.quick = true;
            o.sizes = List.of(1, 100, 1000);
            o.sweeps = 2;
            o.healthInterval = 4;
            o.singleRepeats = 3;
            o.budgetSeconds = 250;
            o.burstTimeoutSeconds = 45;
            o.stallSeconds = 10;
            o.profileSeconds = 0;
            o.warmupSweeps = 1;
            o.bigSize = 2000;
            o.bigSweeps = 1;
            o.bigWarmupSweeps = 1;
            o.bigHealthInterval = 6;
            o.bigLatenessSweeps = 0;
            o.latenessSweeps = 2;
            o.restWarmupSeconds = 2;
            o.restSeconds = 4;
            o.startupRuns = 1;
            o.swapRepeats = 1;
            o.zeroconfSizes = List.of(100);
        }
        for (int i = 0; i < a.size(); i++) {
            String k = a.get(i);
            if (k.equals("--quick")) {
                continue;
            }
            if (i + 1 >= a.size()) {
                throw new IllegalArgumentException(k + " needs a value");
            }
            String v = a.get(++i);
            switch (k) {
                case "--sizes" -> o.sizes = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
                case "--load-size" -> o.loadSize = Integer.parseInt(v);
                case "--sweeps" -> o.sweeps = Integer.parseInt(v);
                case "--health-interval" -> o.healthInterval = Integer.parseInt(v);
                case "--single-repeats" -> o.singleRepeats = Integer.parseInt(v);
                case "--start-rate" -> o.startRate = Double.parseDouble(v);
                case "--budget" -> o.budgetSeconds = Long.parseLong(v);
                case "--burst-timeout" -> o.burstTimeoutSeconds = Integer.parseInt(v);
                case "--stall" -> o.stallSeconds = Integer.parseInt(v);
                case "--out" -> o.out = Path.of(v);
                case "--work" -> o.work = Path.of(v);
                case "--gateway-jar" -> o.gatewayJar = Path.of(v);
                case "--simulator-jar" -> o.simulatorJar = Path.of(v);
                case "--command" -> o.commandLine = v;
                case "--profile-seconds" -> o.profileSeconds = Integer.parseInt(v);
                case "--warmup-sweeps" -> o.warmupSweeps = Integer.parseInt(v);
                case "--gateway-java-opts" -> o.gatewayJavaOpts = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--jvm-options" -> o.jvmOptionsFile = v.equals("none") ? null : Path.of(v);
                case "--big-size" -> o.bigSize = Integer.parseInt(v);
                case "--big-sweeps" -> o.bigSweeps = Integer.parseInt(v);
                case "--big-health-interval" -> o.bigHealthInterval = Integer.parseInt(v);
                case "--big-lateness-sweeps" -> o.bigLatenessSweeps = Integer.parseInt(v);
                case "--silent-fraction" -> o.silentFraction = Double.parseDouble(v);
                case "--lateness-sweeps" -> o.latenessSweeps = Integer.parseInt(v);
                case "--spy-devices" -> o.spyDevices = Integer.parseInt(v);
                case "--rest-threads" -> o.restThreads = Integer.parseInt(v);
                case "--rest-seconds" -> o.restSeconds = Integer.parseInt(v);
                case "--startup-devices" -> o.startupDevices = Integer.parseInt(v);
                case "--startup-runs" -> o.startupRuns = Integer.parseInt(v);
                case "--swap-repeats" -> o.swapRepeats = Integer.parseInt(v);
                case "--zeroconf-sizes" -> o.zeroconfSizes = sizeList(v);
                case "--zeroconf-python" -> o.zeroconfPython = Path.of(v);
                case "--zeroconf-script" -> o.zeroconfScript = Path.of(v);
                case "--zeroconf-warm" -> o.zeroconfWarm = Boolean.parseBoolean(v);
                case "--receive-buffer" -> o.receiveBufferBytes = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (o.sweeps < 1 || o.sweeps > 50 || o.healthInterval < 1 || o.budgetSeconds > 3600) {
            throw new IllegalArgumentException("--sweeps 1-50, --health-interval >= 1, --budget <= 3600");
        }
        o.resolveGatewayFlags();
        return o;
    }

    /** A comma-separated list of burst sizes; "0" or empty = none (zeros are dropped). */
    static List<Integer> sizeList(String v) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            int n = Integer.parseInt(t);
            if (n < 0) {
                throw new IllegalArgumentException("a burst size cannot be negative: " + v);
            }
            if (n > 0) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    /** The file's flags (if it exists), then --gateway-java-opts. */
    void resolveGatewayFlags() {
        List<String> flags = new ArrayList<>();
        List<String> from = new ArrayList<>();
        if (jvmOptionsFile != null && java.nio.file.Files.isRegularFile(jvmOptionsFile)) {
            try {
                List<String> file = parseJvmOptions(java.nio.file.Files.readAllLines(jvmOptionsFile));
                flags.addAll(file);
                from.add("`" + jvmOptionsFile + "` (" + file.size() + " flags)");
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read " + jvmOptionsFile + ": " + e);
            }
        } else {
            from.add(jvmOptionsFile == null ? "no launcher flags file (--jvm-options none)"
                    : "no `" + jvmOptionsFile + "` (absent: no launcher flags)");
        }
        if (!gatewayJavaOpts.isEmpty()) {
            flags.addAll(gatewayJavaOpts);
            from.add("`--gateway-java-opts` (after the file's: a repeated flag takes this value)");
        }
        gatewayFlags = List.copyOf(flags);
        gatewayFlagsSource = String.join(", then ", from);
    }

    /**
     * As bin/gateway reads the file (sed deletes from '#' to the end of each line, the shell splits
     * the rest): '#' starts a comment anywhere on a line, and what is left splits at white space.
     */
    static List<String> parseJvmOptions(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String l = line.replaceAll("#.*", "").strip();
            if (!l.isEmpty()) {
                out.addAll(Arrays.asList(l.split("\\s+")));
            }
        }
        return out;
    }
}
