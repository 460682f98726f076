package io.wasmiot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real simulator jar with no devices; {@code add N} on stdin makes a burst. Its {@code UP name
 * address:port} lines are kept, in order, so the HTTP of devices started with {@code --no-mdns} can
 * be advertised by another fleet (the python-zeroconf one).
 */
final class SimulatorProcess implements AutoCloseable, Fleet {
    final Process process;
    /** Every device's UP line, in the order printed (a device that came back again keeps its first place). */
    private final java.util.LinkedHashMap<String, Up> ups = new java.util.LinkedHashMap<>();
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
        Children.track(process);
        stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Up up = Up.parse(line);
                    if (up != null) {
                        synchronized (lock) {
                            ups.put(up.name(), up);
                        }
                    } else if (line.startsWith("READY ")) {
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

    @Override
    public long burst(int n) throws Exception {
        return add(n);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String label() {
        return "simulator";
    }

    /**
     * Starts {@code n} more devices and waits until the simulator reports them all up (READY with the
     * new total); returns their UP lines in order. For devices another fleet advertises.
     */
    java.util.List<Up> start(int n, int timeoutSeconds) throws Exception {
        int before;
        synchronized (lock) {
            before = Math.max(ready, 0);
        }
        add(n);
        if (awaitReady(before + n, timeoutSeconds) < 0) {
            throw new IllegalStateException("the simulator did not report " + (before + n) + " devices up within " + timeoutSeconds + " s");
        }
        synchronized (lock) {
            java.util.List<Up> all = new java.util.ArrayList<>(ups.values());
            return java.util.List.copyOf(all.subList(Math.min(before, all.size()), all.size()));
        }
    }

    /** One {@code UP name address:port} line of the simulator. */
    record Up(String name, String address, int port) {
        /** The UP line's fields, or null for any other line (or a malformed UP line). */
        static Up parse(String line) {
            String[] w = line.trim().split("\\s+");
            if (w.length != 3 || !w[0].equals("UP")) {
                return null;
            }
            int colon = w[2].lastIndexOf(':');
            if (colon <= 0) {
                return null;
            }
            String host = w[2].substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(w[2].substring(colon + 1));
                return port > 0 && port < 65536 ? new Up(w[1], host, port) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** Sends one line of the simulator's stdin protocol (e.g. {@code fault <name> slow}). */
    synchronized void command(String line) throws Exception {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits until READY total; returns the nanoTime it was seen, or -1 on timeout. */
    @Override
    public long awaitReady(int total, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lock) {
            return Fleet.await(lock, () -> ready >= total, deadline, process) ? readyNanos : -1;
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
