package io.wasmiot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * benchmarks/zeroconf-fleet.py as a child process: python-zeroconf advertising devices whose HTTP a
 * {@code --no-mdns} simulator serves, as the reference orchestrator's devices were. {@link #queue}
 * hands it the devices of the next burst; {@link #burst} ({@code go}) registers them all at once.
 */
final class ZeroconfFleet implements AutoCloseable, Fleet {
    final Process process;
    private final Writer stdin;
    private final Object lock = new Object();
    private final Path log;
    private int ready = -1;
    private long readyNanos;
    private int queued = -1;
    private long probedNanos;
    private int closed = -1;
    private final List<String> errors = new ArrayList<>();

    ZeroconfFleet(Path python, Path script, Path dir, String label) throws Exception {
        log = dir.resolve("zeroconf-" + label + "stderr.log");
        process = new ProcessBuilder(python.toString(), script.toString(), "--address", "127.0.0.1")
                .directory(dir.toFile()).redirectError(log.toFile()).start();
        Children.track(process);
        stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    long now = System.nanoTime();
                    Answer a = Answer.parse(line);
                    synchronized (lock) {
                        if (a == null) {
                            if (errors.size() < 20) {
                                errors.add(line);
                            }
                        } else {
                            switch (a.kind()) {
                                case "READY" -> {
                                    ready = a.count();
                                    readyNanos = now;
                                }
                                case "QUEUED" -> queued = a.count();
                                case "PROBED" -> probedNanos = now;
                                case "CLOSED" -> closed = a.count();
                                default -> {
                                }
                            }
                        }
                        lock.notifyAll();
                    }
                }
            } catch (Exception e) {
                // process ended
            }
        }, "zeroconf-fleet-stdout");
        reader.setDaemon(true);
        reader.start();
        if (awaitReady(0, 30) < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the python-zeroconf fleet did not start within 30 s; see " + log);
        }
    }

    /**
     * Checks that {@code python} can import zeroconf; returns its version, or throws with the reason
     * (python missing, the package missing).
     */
    static String zeroconfVersion(Path python) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(python.toString(), "-c", "import zeroconf; print(zeroconf.__version__)")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(python + " cannot be run (" + e.getMessage() + ")");
        }
        Children.track(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(python + " -c 'import zeroconf' did not end within 30 s");
        }
        if (p.exitValue() != 0) {
            String last = out.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
            throw new IllegalStateException(python + " cannot import zeroconf (" + last + ")");
        }
        return out;
    }

    /** Queues devices for the next {@code go} and waits until the script has read them all. */
    void queue(List<SimulatorProcess.Up> devices) throws Exception {
        int expected;
        synchronized (this) {
            for (int i = 0; i < devices.size(); i += 50) {
                stdin.write(addLine(devices.subList(i, Math.min(devices.size(), i + 50))));
            }
            synchronized (lock) {
                queued = -1;
            }
            stdin.write("queued\n");
            stdin.flush();
        }
        expected = devices.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (lock) {
            if (!Fleet.await(lock, () -> queued >= 0, deadline, process)) {
                throw new IllegalStateException("the python-zeroconf fleet did not answer `queued`; see " + log);
            }
            if (queued != expected) {
                throw new IllegalStateException("the python-zeroconf fleet queued " + queued + " of " + expected + " devices: " + errors);
            }
        }
    }

    /** One {@code add} line of several devices: {@code add NAME PORT NAME PORT ...}. */
    static String addLine(List<SimulatorProcess.Up> devices) {
        StringBuilder sb = new StringBuilder("add");
        for (SimulatorProcess.Up d : devices) {
            sb.append(' ').append(d.name()).append(' ').append(d.port());
        }
        return sb.append('\n').toString();
    }

    /** {@code go}: registers every queued device at once ({@code n} of them, checked by {@link #queue}). */
    @Override
    public synchronized long burst(int n) throws Exception {
        synchronized (lock) {
            probedNanos = 0;
        }
        long t0 = System.nanoTime();
        stdin.write("go\n");
        stdin.flush();
        return t0;
    }

    /** When the last {@code go}'s PROBED line was read (every device probed, announcing), or 0. */
    long probedNanos() {
        synchronized (lock) {
            return probedNanos;
        }
    }

    List<String> errors() {
        synchronized (lock) {
            return List.copyOf(errors);
        }
    }

    @Override
    public long awaitReady(int total, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lock) {
            return Fleet.await(lock, () -> ready >= total, deadline, process) ? readyNanos : -1;
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String label() {
        return "python-zeroconf devices";
    }

    /** {@code close}: every device says goodbye, then the script exits (bounded; killed after 15 s). */
    @Override
    public void close() {
        try {
            synchronized (this) {
                stdin.write("close\n");
                stdin.flush();
                stdin.close();
            }
        } catch (Exception e) {
            // already gone
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** One answer line of the script: READY/QUEUED/PROBED/CLOSED with a count (and seconds), else null. */
    record Answer(String kind, int count, double seconds) {
        static Answer parse(String line) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 2 || !List.of("READY", "QUEUED", "PROBED", "CLOSED").contains(w[0])) {
                return null;
            }
            try {
                return new Answer(w[0], Integer.parseInt(w[1]), w.length > 2 ? Double.parseDouble(w[2]) : Double.NaN);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
