package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static io.wasmiot.gateway.it.ReplacedRevisions.classLoader;
import static io.wasmiot.gateway.it.ReplacedRevisions.newestOnly;
import static io.wasmiot.gateway.it.ReplacedRevisions.olderThanNewest;
import static io.wasmiot.gateway.it.ReplacedRevisions.pinningThreads;
import static io.wasmiot.gateway.it.ReplacedRevisions.reachable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Many stop/start and update cycles of every gateway bundle (and of the API with a refresh) with a
 * few simulated devices running: threads (in all and per name), file descriptors, sockets, mDNS
 * threads and heap after GC grow by no more than a stated bound over their baseline, no bundle keeps
 * more than one of its replaced revisions older than the newest (see
 * {@link ReplacedRevisions#olderThanNewest}; a leak keeps every revision it meets), and every device
 * is still listed with its {@code _id}. The JVM's figures: {@link JvmFigures}.
 *
 * <p>20 stop/start cycles and 3 updates of each bundle, 5 API updates with refresh;
 * {@code -Dwasmiot.it.long=true} runs five times as many.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapLeakIT {
    private static final Duration SOON = Duration.ofSeconds(60);
    private static final String PREFIX = "leak-";
    private static final int DEVICES = 5;
    private static final String MDNS = "wasmiot.gateway.mdns";
    private static final String[] BUNDLES = {"wasmiot.gateway.mdns.transport", MDNS, "wasmiot.gateway.probe", "wasmiot.gateway.core",
            "wasmiot.gateway.store", "wasmiot.gateway.cluster", "wasmiot.gateway.rest", "wasmiot.gateway.standby", "wasmiot.gateway.console",
            "wasmiot.gateway.source.static", "wasmiot.gateway.update"};
    private static final int CYCLES = 20;
    private static final int UPDATES = 3;
    // The bounds: what a thread pool's idle core thread or a GC's timing can move, nothing per cycle.
    private static final int THREADS_BOUND = 3;
    private static final int FDS_BOUND = 10;
    private static final long HEAP_BOUND = 8L << 20;
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return GatewayOptions.gateway("leak-it");
    }

    @Test
    public void swapCyclesLeakNothing() throws Exception {
        boolean longRun = Boolean.getBoolean("wasmiot.it.long");
        int factor = longRun ? 5 : 1;
        int apiRefreshes = 5 * factor;
        Dictionary<String, Object> fast = new Hashtable<>();
        fast.put("healthInterval", 1);
        configurationAdmin.getConfiguration("wasmiot.gateway.discovery", "?").update(fast);
        Http http = new Http("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"));
        Swaps swaps = new Swaps(context, scr);
        Await.until("the gateway wiped", SOON, () -> http.delete("/file/device").statusCode() == 200);
        int components = Await.until("gateway components", SOON, () -> {
            int count = swaps.gatewayComponents().size();
            return count > 0 ? count : null;
        });
        swaps.awaitComponentsBack(components, SOON);
        Path logs = Path.of(System.getProperty("wasmiot.it.dir", "target/it"), "leak-it");
        try (SimulatorProcess devices = SimulatorProcess.start(logs, DEVICES, "--name-prefix", PREFIX)) {
            Map<String, String> ids = awaitListed(http);
            // Warm-up: one cycle of each, so what is created once per JVM (class loading, Jetty and
            // HttpClient internals, the first mDNS socket) is in the baseline.
            for (String symbolicName : BUNDLES) {
                swaps.stopStart(symbolicName, () -> { });
                swaps.update(symbolicName);
                swaps.awaitComponentsBack(components, SOON);
            }
            swaps.update(Swaps.API);
            swaps.awaitComponentsBack(components, SOON);
            assertEquals("after the warm-up", ids, awaitListed(http));
            JvmFigures before = settled(null, () -> 0);

            long started = System.nanoTime();
            Map<WeakReference<ClassLoader>, String> replaced = new java.util.LinkedHashMap<>(); // in replacement order
            Map<String, String> counts = new TreeMap<>();
            for (String symbolicName : BUNDLES) {
                int cycles = CYCLES * factor;
                int updates = UPDATES * factor;
                for (int i = 0; i < cycles; i++) {
                    swaps.stopStart(symbolicName, () -> { });
                    swaps.awaitComponentsBack(components, SOON);
                }
                for (int i = 0; i < updates; i++) {
                    replaced.put(new WeakReference<>(classLoader(swaps.bundle(symbolicName))), symbolicName);
                    swaps.update(symbolicName);
                    swaps.awaitComponentsBack(components, SOON);
                }
                counts.put(symbolicName, cycles + " stop/start, " + updates + " update");
            }
            for (int i = 0; i < apiRefreshes; i++) {
                replaced.put(new WeakReference<>(classLoader(swaps.bundle(Swaps.API))), Swaps.API);
                swaps.update(Swaps.API);
                swaps.awaitComponentsBack(components, SOON);
            }
            counts.put(Swaps.API, apiRefreshes + " update + refresh");
            long cyclesMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertEquals("every device kept its _id through the cycles", ids, awaitListed(http));
            JvmFigures after = settled(before, () -> reachable(olderThanNewest(replaced)).size());
            Map<String, Integer> reachable = reachable(olderThanNewest(replaced));
            Map<String, Integer> newestLingering = reachable(newestOnly(replaced));
            int replacedAlive = reachable.values().stream().mapToInt(Integer::intValue).sum();

            System.out.printf("%nSwap leak check (%s; %d devices; cycles took %d ms):%n  %s%n  before: %s%n"
                            + "  after:  %s%n  change: threads %+d (bound +%d, in all and per name), mDNS threads %+d, fds %+d (bound +%d), "
                            + "sockets %+d, heap %+.1f MiB (bound +%d MiB), classes %+d; replaced class loaders still "
                            + "reachable: %d of %d %s, and of the newest replaced revision of each bundle %s%n",
                    longRun ? "long run" : "default run; -Dwasmiot.it.long=true for 5 times as many cycles", DEVICES,
                    cyclesMillis, counts, before.line(), after.line(), after.threads() - before.threads(),
                    THREADS_BOUND, after.mdnsThreads() - before.mdnsThreads(), after.fds() - before.fds(), FDS_BOUND,
                    after.sockets() - before.sockets(), (after.heapUsed() - before.heapUsed()) / 1048576.0,
                    HEAP_BOUND >> 20, after.loadedClasses() - before.loadedClasses(), replacedAlive, replaced.size(), reachable, newestLingering);

            String threadDiff = diff(before.threadsByName(), after.threadsByName());
            assertTrue("threads " + before.threads() + " -> " + after.threads() + ": " + threadDiff,
                    grownBeyondBound(before, after).isEmpty());
            assertTrue("mDNS threads " + before.mdnsThreads() + " -> " + after.mdnsThreads() + ": " + threadDiff,
                    after.mdnsThreads() <= before.mdnsThreads());
            assertTrue("fds " + before.fds() + " -> " + after.fds(), after.fds() - before.fds() <= FDS_BOUND);
            assertTrue("sockets " + before.sockets() + " -> " + after.sockets(),
                    after.sockets() - before.sockets() <= FDS_BOUND);
            assertTrue("heap after GC " + before.heapUsed() + " -> " + after.heapUsed(),
                    after.heapUsed() - before.heapUsed() <= HEAP_BOUND);
            if (replacedAlive > 0) {
                System.out.println("SwapLeakIT: threads that hold a replaced bundle revision's class loader: "
                        + pinningThreads(context));
            }
            // A leak keeps every revision it meets: 2 or more of a bundle's older revisions. One of them held
            // is a last-value holder not yet found (docs/notes-code.md): reported above, not judged.
            Map<String, Integer> accumulated = new TreeMap<>(reachable);
            accumulated.values().removeIf(held -> held <= 1);
            assertEquals("bundles with several replaced revisions (older than the newest) still reachable: "
                    + reachable, Map.of(), accumulated);
        }
    }

    /**
     * Figures once the JVM is quiet: measured (after GC) every 250 ms until the thread count has not
     * moved for 4 s and, with a baseline, every figure is within its bound and no replaced class
     * loader is reachable any more. Things wind down asynchronously: idle pool
     * threads, and the Java 17 HttpClient of a replaced prober, whose selector thread notices only at
     * its next wake-up that its client was collected (after an API refresh an old prober wiring was
     * seen reachable for up to ~15 s, then collected with nothing else happening). A leak is what is
     * still there after 40 s: this returns the last figures then, for the assertions to report.
     */
    private JvmFigures settled(JvmFigures baseline, java.util.function.IntSupplier reachableLoaders)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        JvmFigures steadySince = null;
        long steadyNanos = 0;
        while (true) {
            JvmFigures now = JvmFigures.measure();
            // Threads only: fds move with every health check's connection (the bound covers that).
            if (steadySince == null || steadySince.threads() != now.threads()) {
                steadySince = now;
                steadyNanos = System.nanoTime();
            }
            boolean steady = System.nanoTime() - steadyNanos >= Duration.ofSeconds(4).toNanos();
            boolean within = baseline == null || (grownBeyondBound(baseline, now).isEmpty()
                    && now.mdnsThreads() <= baseline.mdnsThreads()
                    && now.fds() - baseline.fds() <= FDS_BOUND
                    && now.heapUsed() - baseline.heapUsed() <= HEAP_BOUND
                    && reachableLoaders.getAsInt() == 0);
            if ((steady && within) || System.nanoTime() > deadline) {
                System.out.printf("Swap leak check: settled after %d ms%n",
                        Duration.ofNanos(System.nanoTime() - deadline).plusSeconds(40).toMillis());
                return now;
            }
            Thread.sleep(250);
        }
    }

    /**
     * Framework pools capped by configuration, which grow lazily up to their cap with the work of the
     * moment (Felix HC's executor: {@code threadPoolSize=4}, the gateway's default; Felix EventAdmin:
     * {@code org.apache.felix.eventadmin.ThreadPoolSize=4} plus its asynchronous threads, as in
     * {@code runtime/jvm.options}): judged against their cap, not their growth.
     */
    private static final Map<String, Integer> CAPPED_POOLS = Map.of(JvmFigures.HC_POOL, 4, JvmFigures.EVENT_ADMIN_POOL, 4 + 2);

    /**
     * Growth is what counts, in all and per thread name: this JVM also hosts the frameworks of the
     * test classes that ran before, whose idle pools (Felix's resolver, SCR's promise pool) end
     * during this test and make the total fall; a per-name check keeps that fall from hiding a
     * pool of ours that grows.
     */
    private static List<String> grownBeyondBound(JvmFigures before, JvmFigures after) {
        List<String> grown = new ArrayList<>();
        int cappedGrowth = 0;
        for (Map.Entry<String, Integer> pool : CAPPED_POOLS.entrySet()) {
            int now = after.threadsByName().getOrDefault(pool.getKey(), 0);
            cappedGrowth += now - before.threadsByName().getOrDefault(pool.getKey(), 0);
            if (now > pool.getValue()) {
                grown.add(pool.getKey() + " " + now + " threads, over its cap of " + pool.getValue());
            }
        }
        if (after.threads() - before.threads() - cappedGrowth > THREADS_BOUND) {
            grown.add("threads outside the capped pools " + before.threads() + " -> " + after.threads() + " (capped pools "
                    + (cappedGrowth >= 0 ? "+" : "") + cappedGrowth + ")");
        }
        after.threadsByName().forEach((name, count) -> {
            if (CAPPED_POOLS.containsKey(name)) {
                return;
            }
            int was = before.threadsByName().getOrDefault(name, 0);
            if (count - was > THREADS_BOUND) {
                grown.add(name + " " + was + " -> " + count);
            }
        });
        return grown;
    }

    private static String diff(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> change = new TreeMap<>();
        after.forEach((name, count) -> change.merge(name, count, Integer::sum));
        before.forEach((name, count) -> change.merge(name, -count, Integer::sum));
        change.values().removeIf(count -> count == 0);
        return "threads by name, change: " + change;
    }

    /** Waits until exactly the simulator's devices are listed, each once and active; name to _id. */
    private Map<String, String> awaitListed(Http http) {
        return Await.until(DEVICES + " devices listed once each, active", SOON, () -> {
            HttpResponse<String> response = http.get("/file/device");
            if (response.statusCode() != 200) {
                return null;
            }
            Map<String, String> ids = new HashMap<>();
            try {
                for (JsonNode device : mapper.readTree(response.body())) {
                    String name = device.get("name").asText();
                    if (name.startsWith(PREFIX)) {
                        assertTrue("listed once: " + name, ids.put(name, device.get("_id").asText()) == null);
                        if (!"active".equals(device.get("status").asText())) {
                            return null;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ids.size() == DEVICES ? ids : null;
        });
    }
}
