package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Lateness of healthy devices' checks while a share of the devices never answer. */
final class LatenessPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LatenessPhase() {
    }

    /**
     * With the load-size gateway sweeping: {@code latenessSweeps} intervals as they are (baseline),
     * then {@code silentFraction} of the devices (spread over the name order) switched to the
     * simulator's {@code slow} fault with a delay far past the gateway's read timeout (they accept the
     * connection and never answer), and as many intervals again. {@code GET /file/device} is polled
     * four times an interval; each healthy device's distinct {@code health.timeOfQuery} values (the
     * gateway's clock) give its successive checks. The silent devices are made healthy again after.
     */
    static Lateness lateness(GatewayProcess gw, SimulatorProcess sim, Options o, Set<String> done, String prefix, int listed)
            throws Exception {
        return lateness(gw, sim, o, done, prefix, listed, o.healthInterval, o.latenessSweeps);
    }

    static Lateness lateness(GatewayProcess gw, SimulatorProcess sim, Options o, Set<String> done, String prefix, int listed,
            int interval, int sweeps) throws Exception {
        Lateness l = new Lateness();
        l.interval = interval;
        // the silent ones are taken from the burst's simulator (the one this harness can send faults to),
        // as many as the fraction of every device listed (the top-up's included)
        List<String> ours = done.stream().filter(n -> n.startsWith(prefix)).sorted().toList();
        int k = Math.min(ours.size(), Math.max(1, (int) Math.round(listed * o.silentFraction)));
        List<String> silent = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            silent.add(ours.get((int) ((i + 0.5) * ours.size() / k)));
        }
        l.silent = silent.size();
        long pollMs = interval * 1000L / 4;
        l.pollSeconds = pollMs / 1000.0;
        log("  lateness: " + sweeps + " intervals as is, then " + k + " of " + listed + " devices never answer");
        Map<String, List<Instant>> checks = new HashMap<>();
        Set<String> silentSet = new HashSet<>(silent);
        SpyDevices spies = null;
        if (o.spyDevices > 0) {
            try {
                spies = startSpies(gw, o.spyDevices);
                l.spies = spies.names.size();
            } catch (Exception e) {
                l.spyFailure = e.toString();
                log("  spy devices failed: " + e);
            }
        }
        long startNanos = System.nanoTime();
        Instant start = Instant.now();
        poll(gw, checks, silentSet, pollMs, (long) sweeps * interval * 1000 + pollMs);
        Instant faultAt = Instant.now();
        long faultNanos = System.nanoTime();
        double failures0 = Stats.metric(gw.metrics(), "wasmiot_health_check_failures_total");
        for (String name : silent) {
            sim.command("fault " + name + " slow");
        }
        poll(gw, checks, silentSet, pollMs, (long) (sweeps + 1) * interval * 1000 + pollMs);
        l.failuresWithSilent = Stats.metric(gw.metrics(), "wasmiot_health_check_failures_total") - failures0;
        for (String name : silent) {
            sim.command("fault " + name + " healthy");
        }
        if (spies != null) {
            for (List<Long> times : spies.arrivals.values()) {
                for (int i = 1; i < times.size(); i++) {
                    long a = times.get(i - 1);
                    if (a < startNanos) {
                        continue;
                    }
                    double late = (times.get(i) - a) / 1e9 - interval;
                    (a < faultNanos ? l.deviceBaseline : l.deviceWithSilent).add(late);
                }
            }
            spies.forget(gw);
            spies.close();
            log(String.format("  at %d spy devices (arrival of each check): as is p50 %s / max %s s; with silent p50 %s / p99 %s / max %s s",
                    l.spies, Stats.sec(Stats.percentile(l.deviceBaseline, 50)), Stats.sec(Stats.max(l.deviceBaseline)),
                    Stats.sec(Stats.percentile(l.deviceWithSilent, 50)), Stats.sec(Stats.percentile(l.deviceWithSilent, 99)),
                    Stats.sec(Stats.max(l.deviceWithSilent))));
        }
        l.healthy = checks.size();
        for (List<Instant> times : checks.values()) {
            for (int i = 1; i < times.size(); i++) {
                Instant a = times.get(i - 1);
                Instant b = times.get(i);
                if (a.isBefore(start)) {
                    continue;
                }
                double late = java.time.Duration.between(a, b).toNanos() / 1e9 - interval;
                (a.isBefore(faultAt) ? l.baseline : l.withSilent).add(late);
            }
        }
        log(String.format("  lateness of %d healthy devices' checks: as is p50 %s / p99 %s / max %s s (%d gaps); with %d silent p50 %s / p99 %s / max %s s (%d gaps)",
                l.healthy, Stats.sec(Stats.percentile(l.baseline, 50)), Stats.sec(Stats.percentile(l.baseline, 99)),
                Stats.sec(Stats.max(l.baseline)), l.baseline.size(), l.silent, Stats.sec(Stats.percentile(l.withSilent, 50)),
                Stats.sec(Stats.percentile(l.withSilent, 99)), Stats.sec(Stats.max(l.withSilent)), l.withSilent.size())
                + String.format("; %.0f failed checks meanwhile", l.failuresWithSilent));
        return l;
    }

    /** Spy devices answering a simulated device's own description and health, registered and listed. */
    private static SpyDevices startSpies(GatewayProcess gw, int n) throws Exception {
        JsonNode first = null;
        for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
            if (Listing.complete(d)) {
                first = d;
                break;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no device listed to copy a description from");
        }
        JsonNode c = first.path("communication");
        String base = "http://" + c.path("addresses").get(0).asText() + ":" + c.path("port").asInt();
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        byte[] description = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/.well-known/wasmiot-device-description")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        byte[] health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        SpyDevices spies = new SpyDevices(n, "spy-", description, health);
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < limit) {
            Set<String> listed = Listing.completeNames(gw);
            if (listed.containsAll(spies.names)) {
                return spies;
            }
            Thread.sleep(200);
        }
        spies.close();
        throw new IllegalStateException("the spy devices were not all listed within 15 s");
    }

    private static void poll(GatewayProcess gw, Map<String, List<Instant>> checks, Set<String> skip, long pollMs, long forMs)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMs);
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs);
            for (JsonNode d : JSON.readTree(gw.get("/file/device"))) {
                String name = d.path("name").asText();
                String toq = d.path("health").path("timeOfQuery").asText(null);
                if (skip.contains(name) || toq == null || !"active".equals(d.path("status").asText())) {
                    continue;
                }
                Instant t = Instant.parse(toq);
                List<Instant> list = checks.computeIfAbsent(name, n -> new ArrayList<>());
                if (list.isEmpty() || t.isAfter(list.get(list.size() - 1))) {
                    list.add(t);
                }
            }
            long left = next - System.nanoTime();
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
            }
        }
    }
}
