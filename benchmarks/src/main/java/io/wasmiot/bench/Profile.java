package io.wasmiot.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A JFR recording of the gateway during sweeps, summarised from {@code jfr print} (execution samples). */
final class Profile {
    int samples;
    /** Samples whose stack holds a frame of the group (inclusive), by group. */
    final Map<String, Integer> inclusive = new HashMap<>();
    /** Top frames (self time), by method. */
    final Map<String, Integer> self = new HashMap<>();
    /** Samples by thread name, digits folded. */
    final Map<String, Integer> threads = new HashMap<>();

    static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("io.wasmiot.gateway.store", "store (JDBC code)");
        GROUPS.put("org.h2.", "H2 database");
        GROUPS.put("com.zaxxer.hikari", "HikariCP");
        GROUPS.put("io.wasmiot.gateway.probe", "probe");
        GROUPS.put("jdk.internal.net.http", "JDK HttpClient");
        GROUPS.put("io.wasmiot.gateway.core", "core");
        GROUPS.put("com.fasterxml.jackson", "Jackson");
        GROUPS.put("javax.jmdns", "jmdns");
        GROUPS.put("org.eclipse.jetty", "Jetty");
        GROUPS.put("io.wasmiot.gateway.rest", "REST");
        GROUPS.put("sun.nio.ch", "NIO");
        GROUPS.put("javax.net.ssl", "TLS");
    }

    static Profile record(GatewayProcess gw, Path file, int seconds) throws Exception {
        String pid = Long.toString(gw.pid());
        Children.run(List.of("jcmd", pid, "JFR.start", "name=bench", "settings=profile", "filename=" + file), 30);
        Thread.sleep(seconds * 1000L);
        Children.run(List.of("jcmd", pid, "JFR.stop", "name=bench"), 30);
        String text = Children.run(List.of("jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64",
                file.toString()), 120);
        return parse(text);
    }

    static Profile parse(String text) {
        Profile p = new Profile();
        String thread = null;
        boolean inStack = false;
        boolean first = false;
        Set<String> groups = new HashSet<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("jdk.ExecutionSample")) {
                thread = null;
                groups.clear();
            } else if (line.startsWith("sampledThread = ")) {
                int q = line.indexOf('"');
                int r = line.indexOf('"', q + 1);
                thread = q >= 0 && r > q ? line.substring(q + 1, r).replaceAll("\\d+", "N") : "?";
            } else if (line.startsWith("stackTrace = [")) {
                inStack = true;
                first = true;
            } else if (inStack && line.startsWith("]")) {
                inStack = false;
                p.samples++;
                p.threads.merge(thread == null ? "?" : thread, 1, Integer::sum);
                for (String g : groups) {
                    p.inclusive.merge(g, 1, Integer::sum);
                }
            } else if (inStack && !line.equals("...")) {
                String frame = line.replaceAll("\\s+line:.*$", "");
                if (first) {
                    p.self.merge(frame, 1, Integer::sum);
                    first = false;
                }
                for (var e : GROUPS.entrySet()) {
                    if (frame.startsWith(e.getKey())) {
                        groups.add(e.getValue());
                    }
                }
            }
        }
        return p;
    }

    String markdown(int top) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d execution samples (JFR `profile` settings, every thread of the gateway).%n%n", samples));
        sb.append("| code on the stack (inclusive) | samples | share |\n|---|---|---|\n");
        inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> sb.append(String.format("| %s | %d | %.0f %% |%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, samples))));
        sb.append("\n| thread | samples |\n|---|---|\n");
        threads.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> sb.append(String.format("| `%s` | %d |%n", e.getKey(), e.getValue())));
        sb.append("\n| top frame (self) | samples |\n|---|---|\n");
        sb.append(self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .map(e -> String.format("| `%s` | %d |", e.getKey().replace("|", "\\|"), e.getValue()))
                .collect(Collectors.joining("\n")));
        sb.append("\n");
        return sb.toString();
    }
}
