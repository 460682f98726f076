package io.wasmiot.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator jar as a separate process (one JmDNS for all its devices), driven through its
 * line protocol: {@code UP}/{@code READY} lines out, commands in.
 */
final class SimulatorProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> allLines = new ArrayList<>();
    private final Writer commands;
    final int basePort;

    private SimulatorProcess(Process process, int basePort) {
        this.process = process;
        this.basePort = basePort;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (allLines) {
                        allLines.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        }, "simulator-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Base ports of the simulators of this test JVM: each gets a range of its own. A range used twice
     * let a gateway check a new device through an earlier device's stale mDNS record at the same port.
     */
    private static final AtomicInteger NEXT_RANGE = new AtomicInteger(ThreadLocalRandom.current().nextInt(400));

    /** Starts {@code devices} devices and waits for READY. Extra arguments go to the simulator. */
    static SimulatorProcess start(Path logDir, int devices, String... extra) {
        int ranges = Math.max(1, (devices + 99) / 100);
        int basePort = 20000 + NEXT_RANGE.getAndAdd(ranges) % 400 * 100;
        List<String> command = new ArrayList<>(List.of(GatewayProcess.java(), "-Xmx256m", "-jar",
                GatewayProcess.jar("wasmiot-simulator.jar"), "--devices", String.valueOf(devices),
                "--base-port", String.valueOf(basePort)));
        command.addAll(List.of(extra));
        try {
            logDir.toFile().mkdirs();
            Process process = new ProcessBuilder(command)
                    .redirectError(logDir.resolve("simulator-" + basePort + ".log").toFile())
                    .start();
            SimulatorProcess simulator = new SimulatorProcess(process, basePort);
            simulator.awaitLine("READY", Duration.ofSeconds(60));
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the next line starting with {@code prefix}, skipping others. */
    String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError("simulator printed no '" + prefix + "' line within " + timeout
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends one command and returns its one-line answer (which must start with {@code expectedPrefix}). */
    String command(String command, String expectedPrefix) {
        lines.clear();
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String answer = awaitLine("", Duration.ofSeconds(30));
        if (!answer.startsWith(expectedPrefix)) {
            throw new AssertionError("'" + command + "' answered '" + answer + "', expected " + expectedPrefix);
        }
        return answer;
    }

    /**
     * Sends one command without waiting for its answer: for commands whose answers come later and
     * interleave with others (timed faults, {@code add}); read them with {@link #output()}.
     */
    void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line the simulator printed so far, in order. */
    List<String> output() {
        synchronized (allLines) {
            return new ArrayList<>(allLines);
        }
    }

    static String name(int index) {
        return String.format("sim-%04d", index);
    }

    /** SIGTERM: every device says goodbye. */
    void stop() {
        process.destroy();
        waitForExit();
    }

    /** SIGKILL: the devices vanish. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    private void waitForExit() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }
}
