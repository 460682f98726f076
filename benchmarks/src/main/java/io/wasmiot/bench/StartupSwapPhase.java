package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Startup with devices already advertising, then the hot-swap gap of the mDNS and probe bundles. */
final class StartupSwapPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StartupSwapPhase() {
    }

    /**
     * Startup with devices already advertising: a simulator with {@code startupDevices} devices is
     * up first; then {@code startupRuns} fresh gateways (empty data folders) each: spawn to the first
     * 200 of {@code GET /file/device}, to the first device listed complete, to every one. The last
     * gateway then gives the hot-swap gap.
     */
    static void run(Options o, Results res, long deadline) {
        long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
        long need = 10L + o.startupRuns * 12L + o.swapRepeats * 3L * 8;
        if (left < need) {
            res.notes.add("Startup with devices and hot-swap skipped: " + left + " s of the time budget left, about " + need + " s needed.");
            log("skipping startup/hot-swap (time budget)");
            return;
        }
        Path dir = o.work.resolve("startup");
        try {
            Files.createDirectories(dir);
            log("startup with " + o.startupDevices + " devices already advertising; hot-swap gap");
            try (SimulatorProcess sim = new SimulatorProcess(o.simulatorJar, dir, "s-", 48000, 1000)) {
                sim.add(o.startupDevices);
                sim.awaitReady(o.startupDevices, 30);
                Thread.sleep(2000); // their announcements are over: the gateway must query for them
                int runs = Math.max(1, o.startupRuns);
                for (int run = 1; run <= runs; run++) {
                    try (GatewayProcess gw = GatewayProcess.start(o.gatewayJar, dir.resolve("run-" + run), o.healthInterval, o.gatewayFlags)) {
                        res.startups.add(gw.startupSeconds);
                        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        double first = Double.NaN;
                        double all = Double.NaN;
                        int listed = 0;
                        while (System.nanoTime() < limit) {
                            listed = Listing.completeNames(gw).size();
                            double t = (System.nanoTime() - gw.spawnNanos) / 1e9;
                            if (listed > 0 && Double.isNaN(first)) {
                                first = t;
                            }
                            if (listed >= o.startupDevices) {
                                all = t;
                                break;
                            }
                            Thread.sleep(20);
                        }
                        if (run <= o.startupRuns) {
                            res.startupRest.add(gw.startupSeconds);
                            res.startupFirst.add(first);
                            res.startupAll.add(all);
                        }
                        res.startupDevicesListed = listed;
                        log(String.format("  run %d: GET /file/device %.2f s, first device %s s, all %d %s s after spawn (%d listed)",
                                run, gw.startupSeconds, Stats.sec(first), o.startupDevices, Stats.sec(all), listed));
                        if (run == runs && o.swapRepeats > 0) {
                            swaps(gw, sim, o, res);
                        }
                    }
                }
            }
        } catch (Exception e) {
            res.notes.add("Startup/hot-swap phase failed: " + e);
            log("startup/hot-swap failed: " + e);
        }
    }

    /** The bundle jar of a symbolic name, taken out of the gateway jar (where bnd put the run bundles). */
    static Path bundleJar(Path gatewayJar, String symbolicName, Path into) throws Exception {
        try (var zip = new java.util.zip.ZipFile(gatewayJar.toFile())) {
            var entry = zip.stream().filter(e -> e.getName().startsWith("jar/" + symbolicName + "-") && e.getName().endsWith(".jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no jar/" + symbolicName + "-*.jar in " + gatewayJar));
            Path out = into.resolve(entry.getName().substring(4));
            try (var in = zip.getInputStream(entry)) {
                Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        }
    }

    private static void swaps(GatewayProcess gw, SimulatorProcess sim, Options o, Results res) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        // The console starts last (start level 20) and answers 401 to every password until its
        // configuration reaches it: a gateway that lists its first device may be a moment ahead.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String bundles = null;
        while (bundles == null) {
            try {
                bundles = gw.consoleGet("/system/console/bundles.json");
            } catch (java.io.IOException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        for (JsonNode b : JSON.readTree(bundles).path("data")) {
            ids.put(b.path("symbolicName").asText(), b.path("id").asInt());
        }
        Path mdnsJar = bundleJar(o.gatewayJar, "wasmiot.gateway.mdns", gw.dir);
        Path probeJar = bundleJar(o.gatewayJar, "wasmiot.gateway.probe", gw.dir);
        for (int r = 0; r < o.swapRepeats; r++) {
            res.swapBaseline.add(addAndWait(gw, sim, System.nanoTime()));
            Thread.sleep(1000);
            swapOnce(gw, sim, ids.get("wasmiot.gateway.mdns"), mdnsJar, res.swapMdns, res.consoleDelayMdns);
            Thread.sleep(1000);
            swapOnce(gw, sim, ids.get("wasmiot.gateway.probe"), probeJar, res.swapProbe, res.consoleDelayProbe);
            Thread.sleep(1000);
        }
        log(String.format("  hot-swap: add with no update %s; mDNS update %s; probe update %s (s, update seen to device listed);"
                + " console POST to update seen: mDNS %s, probe %s", res.swapBaseline, res.swapMdns, res.swapProbe,
                res.consoleDelayMdns, res.consoleDelayProbe));
    }

    /** Adds one device and waits until it (any new complete name) is listed; seconds from {@code from}, NaN after 20 s. */
    private static double addAndWait(GatewayProcess gw, SimulatorProcess sim, long from) throws Exception {
        Set<String> before = Listing.completeNames(gw);
        sim.add(1);
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < limit) {
            Set<String> now;
            try {
                now = Listing.completeNames(gw);
            } catch (java.io.IOException e) {
                now = Set.of(); // 503 while a bundle is away
            }
            long t = System.nanoTime();
            now.removeAll(before);
            if (!now.isEmpty()) {
                return (t - from) / 1e9;
            }
            Thread.sleep(20);
        }
        return Double.NaN;
    }

    /**
     * One update through the console: POST the jar, poll the bundle's state every 20 ms until the
     * update shows (state not Active, or a new Last Modification), add one device at that moment and
     * time it from there until it is listed.
     */
    private static void swapOnce(GatewayProcess gw, SimulatorProcess sim, int id, Path jar, List<Double> gaps, List<Double> consoleDelays)
            throws Exception {
        String path = "/system/console/bundles/" + id + ".json";
        String modified0 = lastModified(gw.consoleGet(path));
        long post = System.nanoTime();
        int status = gw.consoleInstall(jar);
        if (status >= 400) {
            throw new IllegalStateException("console install of " + jar.getFileName() + " answered " + status);
        }
        long limit = post + TimeUnit.SECONDS.toNanos(15);
        long seen = -1;
        while (System.nanoTime() < limit) {
            String info;
            try {
                info = gw.consoleGet(path);
            } catch (java.io.IOException e) {
                continue;
            }
            JsonNode b = JSON.readTree(info).path("data").path(0);
            if (!"Active".equals(b.path("state").asText()) || !lastModified(info).equals(modified0)) {
                seen = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        if (seen < 0) {
            gaps.add(Double.NaN);
            consoleDelays.add(Double.NaN);
            return;
        }
        consoleDelays.add((seen - post) / 1e9);
        gaps.add(addAndWait(gw, sim, seen));
    }

    private static String lastModified(String bundleJson) throws Exception {
        for (JsonNode p : JSON.readTree(bundleJson).path("data").path(0).path("props")) {
            if ("Last Modification".equals(p.path("key").asText())) {
                return p.path("value").asText();
            }
        }
        return "";
    }
}
