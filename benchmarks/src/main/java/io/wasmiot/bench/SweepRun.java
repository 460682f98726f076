package io.wasmiot.bench;

import java.util.ArrayList;
import java.util.List;

/** Sweeps of one gateway: wall time of each, CPU and checks over the measured ones. */
final class SweepRun {
    int devices, interval, warmup;
    /** How long the harness waited for the gateway's mDNS catch-up to end before the warm-up sweeps. */
    double mdnsSettleSeconds = Double.NaN;
    final List<Double> seconds = new ArrayList<>();
    double cpu = Double.NaN, checks = Double.NaN, window = Double.NaN, failures = Double.NaN;
    final java.util.Map<String, Double> threadCpu = new java.util.HashMap<>();
    String note;

    double cpuPer1000() {
        return cpu / checks * 1000;
    }
}
