package io.wasmiot.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The processes the harness starts: tracked so that its shutdown hook kills whatever is left of them. */
final class Children {
    private static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();

    private Children() {
    }

    static void track(Process p) {
        CHILDREN.add(p);
    }

    /** At the harness's exit (normal, or TERM from bin/benchmark's timeout) every child still alive is killed. */
    static void killAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        })));
    }

    /** Runs a short command and returns its output (stdout + stderr). */
    static String run(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        track(p);
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
