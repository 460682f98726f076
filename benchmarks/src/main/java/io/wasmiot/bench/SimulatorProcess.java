package io.wasmiot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real simulator jar with no devices; {@code add N} on stdin makes a burst. */
final class SimulatorProcess implements AutoCloseable {
    final Process process;
    private final Writer stdin;
    private volatile int ready = -1;
    private volatile long readyNanos;
    private final Object lock = new Object();

    SimulatorProcess(Path jar, Path dir, String prefix, int basePort, double startRate) throws Exception {
        this(jar, dir, prefix, basePort, startRate, List.of());
    }

    SimulatorProcess(Path jar, Path dir, String prefix, int basePort, double startRate, List<String> extra) throws Exception {
        this(command(jar, prefix, basePort, startRate, extra), dir, prefix);
    }

    private static List<String> command(Path jar, String prefix, int basePort, double startRate, List<String> extra) {
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-jar", jar.toString(), "--devices", "0",
                "--base-port", Integer.toString(basePort), "--name-prefix", prefix,
                "--start-rate", Double.toString(startRate)));
        cmd.addAll(extra);
        return cmd;
    }

    private SimulatorProcess(List<String> cmd, Path dir, String prefix) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile()).redirectError(dir.resolve("simulator-" + prefix + "stderr.log").toFile());
        process = pb.start();
        Harness.track(process);
        stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        synchronized (lock) {
                            ready = Integer.parseInt(line.substring(6).trim());
                            readyNanos = System.nanoTime();
                            lock.notifyAll();
                        }
                    }
                }
            } catch (Exception e) {
                // process ended
            }
        }, "simulator-stdout");
        reader.setDaemon(true);
        reader.start();
        awaitReady(0, 60);
    }

    /** Starts {@code n} more devices; returns System.nanoTime() just before the command was sent. */
    synchronized long add(int n) throws Exception {
        long t0 = System.nanoTime();
        stdin.write("add " + n + "\n");
        stdin.flush();
        return t0;
    }

    /** Sends one line of the simulator's stdin protocol (e.g. {@code fault <name> slow}). */
    synchronized void command(String line) throws Exception {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits until READY total; returns the nanoTime it was seen, or -1 on timeout. */
    long awaitReady(int total, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lock) {
            while (ready < total) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    return -1;
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return readyNanos;
        }
    }

    @Override
    public void close() {
        process.destroyForcibly(); // SIGKILL: the devices vanish, no goodbye burst
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
