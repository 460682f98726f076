package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Soak (issue 7): 1,000 simulated devices (mDNS and register, as reference supervisors do) under
 * continuous churn: devices join ({@code add}), leave with a goodbye or by vanishing, and move to
 * another port, at a steady rate. After the churn stops and the rules have had their time, the
 * listed set equals the live set (names and ports, no duplicates), and the gateway's heap after GC
 * and thread count are flat between the start and the end of the churn.
 * <p>
 * Bounded for CI (about 21 s of churn, some 85 events, under a minute in all);
 * {@code -Dwasmiot.soak.minutes=0.67} is the former 40 s run, {@code -Dwasmiot.soak.minutes=30} churns
 * for 30 minutes, {@code -Dwasmiot.soak.devices=N} changes the fleet.
 */
public class SoakIT {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /**
     * Stated bounds for "flat": the live heap (all objects after a full GC, from the class
     * histogram) may grow by at most 32 MiB over the churn (the H2 page cache alone may fill up to
     * 16 MiB), threads by at most 10 (Jetty's pool grows and shrinks with request bursts).
     */
    private static final long HEAP_BOUND_BYTES = 32L << 20;
    private static final int THREAD_BOUND = 10;

    private GatewayProcess gateway;
    private SimulatorProcess simulator;

    @After
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void listedSetEqualsLiveSetAfterChurnAndResourcesStayFlat() throws Exception {
        int devices = Integer.getInteger("wasmiot.soak.devices", 1000);
        double minutes = Double.parseDouble(System.getProperty("wasmiot.soak.minutes", "0.35"));
        long churnMillis = (long) (minutes * 60_000);
        long testStarted = System.nanoTime();
        gateway = GatewayProcess.start("soak-it", new GatewayProcess.Config()
                .set("wasmiot.gateway.discovery", "healthInterval", 2)
                .set("wasmiot.gateway.discovery", "failuresBeforeInactive", 2)
                .set("wasmiot.gateway.discovery", "successesBeforeActive", 2)
                .set("wasmiot.gateway.discovery", "forgetAfter", 4)
                .set("wasmiot.gateway.discovery", "goodbyeGrace", 2)
                // The probe's default timeouts: a refused connection (a leaver) fails at once anyway,
                // and on a loaded machine a 1 s read timeout failed the introduction of healthy devices.
                .set("wasmiot.gateway.discovery", "introductionRounds", 3)
                .set("wasmiot.gateway.discovery", "introductionBackoffMillis", 500));
        simulator = SimulatorProcess.start(gateway.dir, devices, "--name-prefix", "soak-", "--fault-after", "0.5",
                "--orchestrator-url", "http://127.0.0.1:" + gateway.port);
        Fleet fleet = new Fleet();
        fleet.read(simulator.output());
        assertEquals(devices, fleet.live.size());
        try {
            Await.until("all " + devices + " devices listed active", Duration.ofSeconds(90),
                    () -> listed(true).equals(fleet.live));
        } catch (AssertionError e) {
            Map<String, Integer> listed = listed(false);
            throw new AssertionError(e.getMessage() + ": " + listed(true).size() + " active, " + listed.size()
                    + " listed; not listed e.g. " + fleet.live.keySet().stream().filter(n -> !listed.containsKey(n))
                    .limit(5).toList(), e);
        }
        System.out.printf("SoakIT: %d devices listed active %.1f s after the test started%n", devices,
                (System.nanoTime() - testStarted) / 1e9);

        Resources before = Resources.of(gateway.pid());
        Map<String, long[]> histogramBefore = histogram(gateway.pid());
        Random random = new Random(Long.getLong("wasmiot.soak.seed", System.nanoTime()));
        String[] actions = {"add", "goodbye", "vanish", "move"};
        Map<String, Integer> counts = new TreeMap<>();
        long churnStarted = System.nanoTime();
        long tick = 250;
        for (int step = 0; System.nanoTime() - churnStarted < TimeUnit.MILLISECONDS.toNanos(churnMillis); step++) {
            fleet.read(simulator.output());
            String action = actions[step % actions.length];
            if (action.equals("add")) {
                simulator.send("add 2");
            } else {
                String name = fleet.pick(random);
                if (name == null) {
                    continue;
                }
                fleet.pending.add(name);
                simulator.send("fault " + name + " " + action);
            }
            counts.merge(action, 1, Integer::sum);
            long due = churnStarted + TimeUnit.MILLISECONDS.toNanos(tick * (step + 1));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        double churnSeconds = (System.nanoTime() - churnStarted) / 1e9;
        // Quiesce: every timed fault has fired (its GONE/VANISHED/MOVED line is out) ...
        Await.until("every churn event done in the simulator", Duration.ofSeconds(60), () -> {
            fleet.read(simulator.output());
            return fleet.pending.isEmpty();
        });
        // ... and the rules have aged out the leavers: the listed set is the live set.
        long quiesced = System.nanoTime();
        // Every status counts here: a leaver still listed inactive has not been aged out yet.
        Await.until("listed set (any status) equal to the live set", Duration.ofSeconds(60),
                () -> listed(false).equals(fleet.live));
        assertEquals("every live device active", fleet.live, listed(true));
        double settleSeconds = (System.nanoTime() - quiesced) / 1e9;
        Resources after = Resources.of(gateway.pid());
        Map<String, long[]> histogramAfter = histogram(gateway.pid());
        List<Map.Entry<String, long[]>> grown = new ArrayList<>(histogramAfter.entrySet());
        grown.sort((a, b) -> Long.compare(b.getValue()[1] - histogramBefore.getOrDefault(b.getKey(), new long[2])[1],
                a.getValue()[1] - histogramBefore.getOrDefault(a.getKey(), new long[2])[1]));
        StringBuilder growth = new StringBuilder("SoakIT: classes grown most on the heap (instances, bytes):");
        for (Map.Entry<String, long[]> entry : grown.subList(0, Math.min(12, grown.size()))) {
            long[] was = histogramBefore.getOrDefault(entry.getKey(), new long[2]);
            growth.append(String.format("%n  %-70s %+8d %+10d", entry.getKey(), entry.getValue()[0] - was[0],
                    entry.getValue()[1] - was[1]));
        }
        System.out.println(growth);

        System.out.printf("SoakIT: %d devices, churn %.1f s: %s (%d events, %.1f/s); %d live at the end, listed set"
                        + " equal %.1f s after the last event; %d simulator errors %s%n", devices, churnSeconds, counts,
                counts.values().stream().mapToInt(Integer::intValue).sum(),
                counts.values().stream().mapToInt(Integer::intValue).sum() / churnSeconds, fleet.live.size(),
                settleSeconds, fleet.errors.size(), fleet.errors.isEmpty() ? "" : fleet.errors);
        long liveBefore = live(histogramBefore);
        long liveAfter = live(histogramAfter);
        System.out.printf("SoakIT: gateway live heap (class histogram after full GC) %.1f MiB -> %.1f MiB; heap used"
                        + " after GC.run %d MiB -> %d MiB; threads %d -> %d; RSS %d MiB -> %d MiB%n", liveBefore / 1048576.0,
                liveAfter / 1048576.0, before.heapBytes >> 20, after.heapBytes >> 20, before.threads, after.threads,
                before.rssBytes >> 20, after.rssBytes >> 20);
        System.out.printf("SoakIT: %.1f s in all%n", (System.nanoTime() - testStarted) / 1e9);

        JsonNode list = gateway.devices();
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode device : list) {
            assertTrue("duplicate name " + device, names.add(device.get("name").asText()));
            assertTrue("duplicate _id " + device, ids.add(device.get("_id").asText()));
        }
        assertTrue("churn happened: " + counts, counts.values().stream().mapToInt(Integer::intValue).sum() >= 40);
        assertTrue("live heap flat: " + liveBefore + " -> " + liveAfter, liveAfter <= liveBefore + HEAP_BOUND_BYTES);
        Map<String, Integer> threadGrowth = new TreeMap<>();
        after.threadsByName.forEach((name, count) -> {
            int change = count - before.threadsByName.getOrDefault(name, 0);
            if (change != 0) {
                threadGrowth.put(name, change);
            }
        });
        before.threadsByName.forEach((name, count) -> threadGrowth.putIfAbsent(name,
                after.threadsByName.containsKey(name) ? 0 : -count));
        threadGrowth.values().removeIf(change -> change == 0);
        System.out.println("SoakIT: Java threads by name, change over the churn: " + threadGrowth);
        assertTrue("threads flat: " + before.threads + " -> " + after.threads + " (by name: " + threadGrowth + ")",
                after.threads <= before.threads + THREAD_BOUND);
    }

    private static long live(Map<String, long[]> histogram) {
        return histogram.values().stream().mapToLong(counts -> counts[1]).sum();
    }

    /** jcmd GC.class_histogram (after a full GC): class -> {instances, bytes}. */
    private static Map<String, long[]> histogram(long pid) throws IOException, InterruptedException {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : Resources.jcmd(pid, "GC.class_histogram").split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[0].endsWith(":")) {
                classes.put(columns[3], new long[] {Long.parseLong(columns[1]), Long.parseLong(columns[2])});
            }
        }
        return classes;
    }

    /** Listed devices as name -> port (only active ones when asked). */
    private Map<String, Integer> listed(boolean activeOnly) {
        Map<String, Integer> listed = new TreeMap<>();
        for (JsonNode device : gateway.devices()) {
            if (!activeOnly || "active".equals(device.path("status").asText())) {
                Integer previous = listed.put(device.get("name").asText(), device.at("/communication/port").asInt());
                if (previous != null) {
                    throw new AssertionError("listed twice: " + device.get("name").asText());
                }
            }
        }
        return listed;
    }

    /** The simulator's devices as its output says they are: name -> port of the live ones. */
    private static final class Fleet {
        final Map<String, Integer> live = new TreeMap<>();
        final Set<String> pending = new HashSet<>();
        final List<String> errors = new ArrayList<>();
        private int read;

        void read(List<String> lines) {
            for (; read < lines.size(); read++) {
                String[] words = lines.get(read).split(" ");
                switch (words[0]) {
                    case "UP", "MOVED" -> {
                        live.put(words[1], Integer.parseInt(words[2].substring(words[2].lastIndexOf(':') + 1)));
                        pending.remove(words[1]);
                    }
                    case "GONE", "VANISHED" -> {
                        live.remove(words[1]);
                        pending.remove(words[1]);
                    }
                    case "ERROR" -> {
                        errors.add(lines.get(read));
                        // "fault" errors name the device: it is as it was
                        for (String word : words) {
                            pending.remove(word.replace("'", ""));
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        /** A live device with no churn event under way, or {@code null}. */
        String pick(Random random) {
            List<String> candidates = new ArrayList<>(live.keySet());
            candidates.removeAll(pending);
            return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
        }
    }

    /** Heap used after a full GC (jcmd), thread count and RSS (/proc) of a process. */
    private record Resources(long heapBytes, int threads, long rssBytes, Map<String, Integer> threadsByName) {
        static Resources of(long pid) throws IOException, InterruptedException {
            Map<String, Integer> byName = new TreeMap<>();
            for (String line : jcmd(pid, "Thread.print").split("\n")) {
                if (line.startsWith("\"")) {
                    byName.merge(line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "N"), 1, Integer::sum);
                }
            }
            jcmd(pid, "GC.run");
            String heap = jcmd(pid, "GC.heap_info");
            Matcher used = HEAP_USED.matcher(heap);
            if (!used.find()) {
                throw new AssertionError("no heap figure in: " + heap);
            }
            Map<String, String> status = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    status.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            return new Resources(Long.parseLong(used.group(1)) << 10, Integer.parseInt(status.get("Threads")),
                    Long.parseLong(status.get("VmRSS").split("\\s+")[0]) << 10, byName);
        }

        private static String jcmd(long pid, String command) throws IOException, InterruptedException {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            byte[] out = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroyForcibly();
                throw new AssertionError("jcmd " + command + " failed: " + new String(out));
            }
            return new String(out);
        }
    }
}
