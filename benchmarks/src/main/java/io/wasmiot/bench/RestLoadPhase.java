package io.wasmiot.bench;

import static io.wasmiot.bench.Harness.log;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** REST load: {@code GET /file/device} from a second JVM while the gateway sweeps. */
final class RestLoadPhase {
    private RestLoadPhase() {
    }

    /** {@code GET /file/device} from {@link LoadClient} in its own JVM; the gateway keeps sweeping meanwhile. */
    static RestLoad rest(GatewayProcess gw, Options o, int devices) {
        RestLoad r = new RestLoad();
        r.devices = devices;
        r.threads = o.restThreads;
        List<String> cmd = List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LoadClient.class.getName(), GatewayProcess.BASE + "/file/device", Integer.toString(o.restThreads),
                Integer.toString(o.restWarmupSeconds), Integer.toString(o.restSeconds));
        log("  REST load: " + o.restThreads + " client threads in a second JVM, " + o.restWarmupSeconds + " s warm-up, "
                + o.restSeconds + " s measured");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Children.track(p);
            Thread.sleep(o.restWarmupSeconds * 1000L);
            double cpu0 = gw.cpuSeconds();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            double cpu1 = gw.cpuSeconds();
            p.waitFor(30, TimeUnit.SECONDS);
            String line = out.lines().filter(x -> x.startsWith("RESULT ")).findFirst().orElse(null);
            if (line == null) {
                r.failure = "the load client printed no RESULT: " + out.strip();
                log("  REST load failed: " + r.failure);
                return r;
            }
            Map<String, String> kv = new HashMap<>();
            for (String part : line.substring(7).split(" ")) {
                int eq = part.indexOf('=');
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
            r.requests = Long.parseLong(kv.get("requests"));
            r.errors = Long.parseLong(kv.get("errors"));
            r.seconds = Double.parseDouble(kv.get("seconds"));
            r.rps = Double.parseDouble(kv.get("rps"));
            r.p50 = Double.parseDouble(kv.get("p50"));
            r.p99 = Double.parseDouble(kv.get("p99"));
            r.max = Double.parseDouble(kv.get("max"));
            r.meanBytes = Long.parseLong(kv.get("bytes"));
            r.gatewayCpu = cpu1 - cpu0;
            log(String.format("  REST: %.1f req/s, p50 %s s, p99 %s s, %d errors, %d bytes a list; gateway CPU %.2f s",
                    r.rps, Stats.sec(r.p50), Stats.sec(r.p99), r.errors, r.meanBytes, r.gatewayCpu));
        } catch (Exception e) {
            r.failure = e.toString();
            log("  REST load failed: " + e);
        }
        return r;
    }
}
