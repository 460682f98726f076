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
    long budgetSeconds = 540;
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

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.contains("--quick")) {
            o.quick = true;
            o.sizes = List.of(1, 100, 1000);
            o.sweeps = 3;
            o.healthInterval = 4;
            o.singleRepeats = 3;
            o.budgetSeconds = 170;
            o.burstTimeoutSeconds = 45;
            o.stallSeconds = 10;
            o.profileSeconds = 6;
            o.warmupSweeps = 2;
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
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (o.sweeps < 1 || o.sweeps > 50 || o.healthInterval < 1 || o.budgetSeconds > 3600) {
            throw new IllegalArgumentException("--sweeps 1-50, --health-interval >= 1, --budget <= 3600");
        }
        return o;
    }
}
