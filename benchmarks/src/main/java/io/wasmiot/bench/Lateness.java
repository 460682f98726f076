package io.wasmiot.bench;

import java.util.ArrayList;
import java.util.List;

/** Lateness of healthy devices' checks: each gap between two successive checks of one device minus the interval. */
final class Lateness {
    int healthy, silent, interval;
    final List<Double> baseline = new ArrayList<>();
    final List<Double> withSilent = new ArrayList<>();
    /** Healthy devices with fewer checks than expected in the window (a skipped check shows as a gap of 2 intervals anyway). */
    double pollSeconds;
    /** The same lateness measured where the checks arrive: spy devices in the harness (nanoTime of each GET /health). */
    final List<Double> deviceBaseline = new ArrayList<>();
    final List<Double> deviceWithSilent = new ArrayList<>();
    int spies;
    String spyFailure;
    /** wasmiot_health_check_failures_total over the silent window: evidence the silent devices were silent. */
    double failuresWithSilent = Double.NaN;
}
