package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times one burst: each device from the burst's start to listed complete, beside the floors (the
 * independent jmdns browser, the wire listener) and the mDNS drops meanwhile; and what comes before
 * a burst (warming the devices' side) and after it (two sequential GETs to a listed device).
 */
final class BurstTiming {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The on-the-wire floor; null when it could not start (the report then says so). */
    static WireListener wire;

    private BurstTiming() {
    }

    /** Waits until the floor browser resolved {@code n} new names of the prefix (or stalls), and records them. */
    static void awaitFloor(Fleet fleet, FloorBrowser floor, String prefix, int n, long t0, Burst burst, Options o)
            throws Exception {
        long lastProgress = System.nanoTime();
        int seen = 0;
        while (System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(Math.min(o.stallSeconds, 5))
                && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(o.burstTimeoutSeconds)) {
            Thread.sleep(50);
            int now = (int) floor.resolvedNanos.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix) && e.getValue() >= t0).count();
            if (now > seen) {
                seen = now;
                lastProgress = System.nanoTime();
            }
            if (seen >= n) {
                break;
            }
        }
        for (var e : floor.resolvedNanos.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.floorNames.add(e.getKey())) {
                burst.mdnsSeconds.add((e.getValue() - t0) / 1e9);
            }
        }
        if (wire != null) {
            for (var e : wire.firstSrvNanos.entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.wireNames.add(e.getKey())) {
                    burst.wireSeconds.add((e.getValue() - t0) / 1e9);
                }
            }
        }
    }

    /** One burst of n devices: latency of each from the add command to listed active with description and health. */
    static long measureBurst(GatewayProcess gw, Fleet sim, EventStream events, FloorBrowser floor,
            String prefix, int n, int expectedTotal, Set<String> done, Burst burst, Options o) throws Exception {
        long drops0 = ProcFs.udpDrops();
        java.util.Map<String, Long> mdns0 = ProcFs.mdnsDrops(gw, sim);
        Instant wall0 = Instant.now();
        burst.machine.sample();
        long t0 = sim.burst(n);
        burst.startNanos = t0;
        long pollMs = 250; // each device is timed from its event and check; the poll only finds them
        long limit = t0 + TimeUnit.SECONDS.toNanos(o.burstTimeoutSeconds);
        long lastProgress = System.nanoTime();
        int before = done.size();
        while (done.size() < expectedTotal && System.nanoTime() < limit
                && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(o.stallSeconds)) {
            Thread.sleep(pollMs);
            burst.machine.sample();
            JsonNode list = JSON.readTree(gw.get("/file/device"));
            long now = System.nanoTime(); // complete by the time the answer arrived
            for (JsonNode d : list) {
                String name = d.path("name").asText();
                if (!name.startsWith(prefix) || done.contains(name) || !Listing.complete(d)) {
                    continue;
                }
                double observed = (now - t0) / 1e9;
                double latency = observed;
                Long added = events.addedNanos.get(name);
                // lastSeen: when the gateway took in its first check's answer (the check's timeOfQuery is
                // when it was sent); a later sighting only moves it later. Written to the store next.
                String seen = d.path("lastSeen").asText(null);
                if (added != null && seen != null && d.path("okHealthCheckCount").asInt() == 1) {
                    double health = Duration.between(wall0, Instant.parse(seen)).toNanos() / 1e9;
                    latency = Math.min(observed, Math.max((added - t0) / 1e9, health));
                    burst.refined++;
                }
                done.add(name);
                burst.latencies.add(latency);
                lastProgress = now;
            }
        }
        long ready = sim.awaitReady(expectedTotal, 1);
        if (ready > 0) {
            burst.simReadySeconds = Math.max(Double.isNaN(burst.simReadySeconds) ? 0 : burst.simReadySeconds, (ready - t0) / 1e9);
        }
        for (var e : floor == null ? java.util.Set.<java.util.Map.Entry<String, Long>>of() : floor.resolvedNanos.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.floorNames.add(e.getKey())) {
                burst.mdnsSeconds.add((e.getValue() - t0) / 1e9);
            }
        }
        if (wire != null && floor != null) { // python bursts take the wire's figures in their floor pass
            for (var e : wire.firstSrvNanos.entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue() >= t0 && burst.wireNames.add(e.getKey())) {
                    burst.wireSeconds.add((e.getValue() - t0) / 1e9);
                }
            }
        }
        long drops1 = ProcFs.udpDrops();
        ProcFs.mdnsDrops(gw, sim).forEach((who, d) -> burst.mdnsDrops.merge(who, d - mdns0.getOrDefault(who, 0L), Long::sum));
        if (drops0 >= 0 && drops1 >= 0) {
            burst.udpRcvbufErrors += drops1 - drops0;
        }
        if (done.size() - before < n) {
            burst.stoppedBy = System.nanoTime() >= limit ? "time limit " + o.burstTimeoutSeconds + " s"
                    : "no new device for " + o.stallSeconds + " s";
        }
        return t0;
    }

    /**
     * The devices' side in steady state before a burst: the simulator serving every device's HTTP is a
     * JVM started for the burst, so its first few hundred answers run cold (interpreted, compiling) and
     * take CPU the gateway needs on 2 cores. Real devices are not freshly started JVMs. This asks the
     * warm-up device (directly, not through the gateway) for its description and health 200 times, on
     * new connections as the gateway's introductions open them.
     */
    static void warmDeviceSide(GatewayProcess gw) {
        try {
            java.net.InetSocketAddress device = Listing.firstListedDevice(gw);
            if (device == null) {
                return;
            }
            String host = device.getHostString();
            int port = device.getPort();
            for (int i = 0; i < 100; i++) {
                for (String path : List.of("/.well-known/wasmiot-device-description", "/health")) {
                    try (java.net.Socket socket = new java.net.Socket()) {
                        socket.connect(new java.net.InetSocketAddress(host, port), 2000);
                        socket.setSoTimeout(5000);
                        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        socket.getInputStream().readAllBytes();
                    }
                }
            }
            Thread.sleep(1000); // the compilations these answers queued finish before the burst
        } catch (Exception e) {
            log("  warming the devices' side failed: " + e);
        }
    }

    /** Median over 20 tries of GET description + GET health, sequential, to one listed device. */
    static double httpPair(GatewayProcess gw) {
        try {
            java.net.InetSocketAddress device = Listing.firstListedDevice(gw);
            if (device == null) {
                return Double.NaN;
            }
            String base = "http://" + device.getHostString() + ":" + device.getPort();
            var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            double[] pairs = new double[20];
            for (int i = 0; i < pairs.length; i++) {
                long a = System.nanoTime();
                for (String path : List.of("/.well-known/wasmiot-device-description", "/health")) {
                    client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                            .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                }
                pairs[i] = (System.nanoTime() - a) / 1e9;
            }
            return Stats.median(pairs);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
