package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Every gateway bundle stopped and started, then updated from its jar (the API bundle with a refresh
 * of its dependents), then each of the discovery core's components disabled and enabled on its own, while 50 simulated devices run, a client polls {@code GET /file/device} every
 * 50 ms and another listens to the event stream. After each swap: every device listed once with the
 * same {@code _id}, none forgotten (no REMOVED event), and the device that appeared during the swap
 * discovered. The poller may see only a JSON {@code 503} or a refused connection, and only while the
 * bundles {@code GET /file/device} needs are away (REST, the store it reads, the API that both wire
 * to); never a 404, an empty or short list, or a changed {@code _id}. The gaps are printed in one table.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {
    private static final Duration SOON = Duration.ofSeconds(60);
    private static final int DEVICES = 50;
    private static final String PREFIX = "swap-";
    private static final String STATIC_DEVICE = "static-swap";
    private static final String[] BUNDLES = {"wasmiot.gateway.mdns.transport", "wasmiot.gateway.mdns", "wasmiot.gateway.probe",
            "wasmiot.gateway.core", "wasmiot.gateway.source.static",
            "wasmiot.gateway.store", "wasmiot.gateway.cluster", "wasmiot.gateway.rest", Swaps.API};
    /** The core's components, each swapped on its own (docs/architecture.md). */
    private static final String[] CORE_PARTS = {"DeviceBook", "SourceIntake", "HealthSweeper", "LeaseReconciler",
            "OperatorActions", "CoreMetricsProvider"};
    private static final String DISABLE_ENABLE = "disable/enable";
    /** The swaps during which GET /file/device may answer 503: the REST bundle, the store it reads, the API. */
    private static final Set<String> LIST_NEEDS = Set.of("wasmiot.gateway.rest", "wasmiot.gateway.store", Swaps.API);
    /** The swaps that cut the event stream (it is served by the REST bundle). */
    private static final Set<String> STREAM_NEEDS = Set.of("wasmiot.gateway.rest", Swaps.API);
    private static final String NO_SWAP = "(none: reference)";
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    /** One swap's figures; times in ms from the swap's start. */
    private record SwapRun(String bundle, String how, String newDevice, long startNanos, long endNanos,
                           long swapCallMillis, long restBackMillis, long newListedMillis, long allListedMillis) {
    }

    @Configuration
    public Option[] config() {
        return GatewayOptions.gateway("hotswap-it");
    }

    @Test
    public void everyBundleSwapsUnderLoadWithoutLosingADevice() throws Exception {
        Dictionary<String, Object> fast = new Hashtable<>();
        fast.put("healthInterval", 1);
        fast.put("goodbyeGrace", 5);
        configurationAdmin.getConfiguration("wasmiot.gateway.discovery", "?").update(fast);
        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
        Http http = new Http(base);
        Swaps swaps = new Swaps(context, scr);
        // The data folder outlives a run of the suite: start from no devices.
        Await.until("the gateway wiped", SOON, () -> http.delete("/file/device").statusCode() == 200);
        int components = Await.until("every gateway component active", SOON, () -> {
            int count = swaps.gatewayComponents().size();
            return count > 0 ? count : null;
        });
        swaps.awaitComponentsBack(components, SOON);
        Path logs = Path.of(System.getProperty("wasmiot.it.dir", "target/it"), "hotswap-it");
        List<SwapRun> runs = new ArrayList<>();
        try (SimulatorProcess devices = SimulatorProcess.start(logs, DEVICES, "--name-prefix", PREFIX);
             RestPoller poller = new RestPoller(base, PREFIX);
             EventStreamListener events = new EventStreamListener(base)) {
            Map<String, String> ids = awaitListed(http, DEVICES);
            // One of them also configured as a static device under another name: every swap keeps it too
            // (a stopped or updated static source is no goodbye).
            Dictionary<String, Object> staticDevice = new Hashtable<>();
            staticDevice.put("name", STATIC_DEVICE);
            staticDevice.put("address", "127.0.0.1");
            staticDevice.put("port", devices.port(PREFIX + "0001"));
            configurationAdmin.getFactoryConfiguration("wasmiot.gateway.source.static", "hotswap", "?").update(staticDevice);
            Await.until(STATIC_DEVICE + " listed active", SOON, () -> isListedActive(http, STATIC_DEVICE));
            String staticId = mapper.readTree(http.get("/file/device/" + STATIC_DEVICE).body()).get("_id").asText();
            poller.expect(ids, 0);
            poller.start();
            events.start();
            events.awaitConnected(SOON);
            // Reference rows: a device added with no swap at all, i.e. the discovery time a swap adds to.
            for (int i = 0; i < 2; i++) {
                poller.expect(ids, 1);
                long started = System.nanoTime();
                String newDevice = addDevice(devices);
                Await.until(newDevice + " listed active", SOON, () -> isListedActive(http, newDevice));
                long newListed = millisSince(started);
                Map<String, String> now = awaitListed(http, ids.size() + 1);
                ids = now;
                poller.expect(ids, 0);
                runs.add(new SwapRun(NO_SWAP, "-", newDevice, started, System.nanoTime(), 0, 0, newListed,
                        millisSince(started)));
            }
            List<String[]> steps = new ArrayList<>();
            for (String symbolicName : BUNDLES) {
                steps.add(new String[] {symbolicName, "stop/start"});
                steps.add(new String[] {symbolicName, "update"});
            }
            for (String part : CORE_PARTS) {
                steps.add(new String[] {"core " + part, DISABLE_ENABLE});
            }
            for (String[] step : steps) {
                String target = step[0]; // a bundle's symbolic name, or "core " and a component's simple name
                String how = target + " " + step[1];
                poller.expect(ids, 1); // the device added during this swap may show up at any time
                long started = System.nanoTime();
                String[] added = new String[1];
                if (step[1].equals("update")) {
                    added[0] = addDevice(devices); // appears while the update runs
                    swaps.update(target);
                } else if (step[1].equals(DISABLE_ENABLE)) {
                    swaps.disableEnable("io.wasmiot.gateway.core.internal." + target.substring("core ".length()),
                            () -> added[0] = addDevice(devices));
                } else {
                    swaps.stopStart(target, () -> added[0] = addDevice(devices));
                }
                long swapCall = millisSince(started);
                swaps.awaitComponentsBack(components, SOON);
                Await.until(how + ": REST answering again", SOON,
                        () -> http.get("/file/device").statusCode() == 200);
                long restBack = millisSince(started);
                String newDevice = added[0];
                Await.until(how + ": " + newDevice + " listed active", SOON, () -> isListedActive(http, newDevice));
                long newListed = millisSince(started);
                Map<String, String> now = awaitListed(http, ids.size() + 1);
                long allListed = millisSince(started);
                for (Map.Entry<String, String> before : ids.entrySet()) {
                    assertEquals(how + " kept the _id of " + before.getKey(), before.getValue(),
                            now.get(before.getKey()));
                }
                assertTrue(how + ": " + added[0] + " discovered after the swap", now.containsKey(added[0]));
                ids = now;
                poller.expect(ids, 0);
                runs.add(new SwapRun(target, step[1], added[0], started, System.nanoTime(), swapCall,
                        restBack, newListed, allListed));
            }
            Map<String, String> finalIds = ids;
            // A last stretch of polling after the last swap, then the verdicts.
            long settled = System.nanoTime();
            Await.until("a few polls after the last swap", SOON,
                    () -> poller.samples().stream().filter(s -> s.nanos() > settled).count() >= 5);
            List<RestPoller.Sample> samples = poller.samples();
            List<EventStreamListener.Received> received = events.events();
            printTable(runs, samples, events.connections());

            List<String> violations = new ArrayList<>();
            for (RestPoller.Sample sample : samples) {
                SwapRun during = runs.stream().filter(r -> sample.nanos() >= r.startNanos() && sample.nanos() <= r.endNanos())
                        .findFirst().orElse(null);
                String when = during == null ? "between swaps" : "during " + during.bundle() + " " + during.how();
                if (sample.kind() == RestPoller.Kind.WRONG) {
                    violations.add("wrong answer " + when + ": " + sample.detail());
                } else if (sample.kind() == RestPoller.Kind.UNAVAILABLE
                        && (during == null || !LIST_NEEDS.contains(during.bundle()))) {
                    violations.add("unavailable " + when + ": " + sample.detail());
                }
            }
            assertTrue("the poller saw: " + violations.subList(0, Math.min(20, violations.size())) + " ("
                    + violations.size() + " in all)", violations.isEmpty());
            List<EventStreamListener.Received> removed = received.stream().filter(e -> "REMOVED".equals(e.type())).toList();
            assertTrue("REMOVED events during the swaps: " + removed, removed.isEmpty());
            // The listener is live: it saw the ADDED of each device added while the stream was up.
            for (SwapRun run : runs) {
                if (!STREAM_NEEDS.contains(run.bundle())) {
                    assertTrue("ADDED of " + run.newDevice() + " (added during the " + run.bundle() + " swap) on the "
                                    + "event stream", received.stream().anyMatch(e -> "ADDED".equals(e.type())
                                    && run.newDevice().equals(e.name()) && finalIds.get(run.newDevice()).equals(e.id())));
                }
            }
            assertEquals(DEVICES + runs.size(), finalIds.size());
            JsonNode staticListed = mapper.readTree(http.get("/file/device/" + STATIC_DEVICE).body());
            assertEquals("the static device kept its _id through every swap", staticId, staticListed.get("_id").asText());
            assertEquals("static", staticListed.get("source").asText());
        }
    }

    private boolean isListedActive(Http http, String name) {
        HttpResponse<String> response = http.get("/file/device/" + name);
        try {
            return response.statusCode() == 200
                    && "active".equals(mapper.readTree(response.body()).get("status").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String addDevice(SimulatorProcess devices) {
        String up = devices.command("add 1", "UP"); // UP <name> <address>:<port>
        String name = up.split(" ")[1];
        assertTrue(up, name.startsWith(PREFIX));
        return name;
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /**
     * The summary for operators: per swap, how long {@code GET /file/device} was unavailable (first
     * unavailable poll to the first good one after the last unavailable poll; 0 when no poll failed),
     * how many polls failed and how, how long the swap call itself took (stop + start or update, plus
     * the refresh for the API), and when REST answered, the device added during the swap was listed
     * active, and every device was listed active again.
     */
    private static void printTable(List<SwapRun> runs, List<RestPoller.Sample> samples, int streamConnections) {
        StringBuilder table = new StringBuilder("\nHot-swap under load: " + DEVICES + " devices, GET /file/device every "
                + "50 ms, one event-stream client (" + streamConnections + " connections in all)\n");
        table.append(String.format("%-30s %-14s %8s %12s %18s %6s %11s %11s %14s%n", "bundle", "swap", "call ms",
                "list gap ms", "failed polls", "polls", "REST ok ms", "new dev ms", "all listed ms"));
        for (SwapRun run : runs) {
            List<RestPoller.Sample> during = samples.stream()
                    .filter(s -> s.nanos() >= run.startNanos() && s.nanos() <= run.endNanos()).toList();
            long firstDown = -1;
            long lastDown = -1;
            for (RestPoller.Sample sample : during) {
                if (sample.kind() != RestPoller.Kind.OK) {
                    firstDown = firstDown < 0 ? sample.nanos() : firstDown;
                    lastDown = sample.nanos();
                }
            }
            long gap = 0;
            if (firstDown >= 0) {
                long down = lastDown;
                long backAt = during.stream().filter(s -> s.nanos() > down && s.kind() == RestPoller.Kind.OK)
                        .mapToLong(RestPoller.Sample::nanos).findFirst().orElse(run.endNanos());
                gap = Duration.ofNanos(backAt - firstDown).toMillis();
            }
            long failed503 = during.stream().filter(s -> s.kind() != RestPoller.Kind.OK && s.detail() != null
                    && s.detail().startsWith("503")).count();
            long failedOther = during.stream().filter(s -> s.kind() != RestPoller.Kind.OK).count() - failed503;
            table.append(String.format("%-30s %-14s %8d %12d %18s %6d %11d %11d %14d%n", run.bundle(),
                    run.how(), run.swapCallMillis(), gap,
                    failed503 + " x 503" + (failedOther > 0 ? ", " + failedOther + " other" : ""), during.size(),
                    run.restBackMillis(), run.newListedMillis(), run.allListedMillis()));
        }
        System.out.println(table);
    }

    /** Waits until exactly {@code count} devices of the simulator are listed, each once and active. */
    private Map<String, String> awaitListed(Http http, int count) {
        return Await.until(count + " devices listed once each, active", SOON, () -> {
            HttpResponse<String> response = http.get("/file/device");
            if (response.statusCode() != 200) {
                return null;
            }
            Map<String, String> ids = new HashMap<>();
            try {
                for (JsonNode device : mapper.readTree(response.body())) {
                    String name = device.get("name").asText();
                    if (!name.startsWith(PREFIX)) {
                        continue;
                    }
                    assertTrue("listed once: " + name, ids.put(name, device.get("_id").asText()) == null);
                    if (!"active".equals(device.get("status").asText())) {
                        return null;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ids.size() == count ? ids : null;
        });
    }
}
