package io.wasmiot.bench;

import java.util.ArrayList;
import java.util.List;

/** Everything the report shows. */
final class Results {
    final Options options;
    final List<Burst> bursts = new ArrayList<>();
    /** Bursts of python-zeroconf devices (the reference's kind); the 100-device target is judged on them. */
    final List<Burst> zeroconfBursts = new ArrayList<>();
    /** A second python-zeroconf burst of each size (≥ 100) on the gateway that served the first. */
    final List<Burst> warmZeroconfBursts = new ArrayList<>();
    /** Why the python-zeroconf bursts were not run (null: they were, or not asked for); the package's version. */
    String zeroconfSkipped, zeroconfVersion;
    final List<Double> startups = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    double idleCpuPerSecond = Double.NaN, rss0 = Double.NaN, heap0 = Double.NaN, rssLoad = Double.NaN,
            heapLoad = Double.NaN, heapCommitted0 = Double.NaN, heapCommittedLoad = Double.NaN,
            rssBig = Double.NaN, heapBig = Double.NaN, heapCommittedBig = Double.NaN, wallSeconds;
    int loadDevices, bigDevices;
    String bigHow;
    SweepRun loadSweep, bigSweep;
    Lateness lateness, bigLateness;
    RestLoad rest;
    /** Startup with devices already advertising: spawn to GET /file/device 200, to the first and to every device listed. */
    final List<Double> startupRest = new ArrayList<>(), startupFirst = new ArrayList<>(), startupAll = new ArrayList<>();
    int startupDevicesListed = -1;
    /** Hot-swap: the update seen to a device added right then listed; the same add with no update. */
    final List<Double> swapBaseline = new ArrayList<>(), swapMdns = new ArrayList<>(), swapProbe = new ArrayList<>(),
            consoleDelayMdns = new ArrayList<>(), consoleDelayProbe = new ArrayList<>();
    Profile profile;
    String histogram;
    String nativeMemory;
    String loadAvgStart, loadAvgEnd;
    int threads0, threadsLoad, threadsBig;
    int[] fds0 = {-1, -1}, fdsLoad = {-1, -1}, fdsBig = {-1, -1};
    Results(Options o) {
        this.options = o;
    }
}
