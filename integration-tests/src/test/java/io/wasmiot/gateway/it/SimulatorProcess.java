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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator jar as a separate process (one mDNS responder for all its devices), driven through its
 * line protocol: {@code UP}/{@code READY} lines out, commands in.
 */
final class SimulatorProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> allLines = new ArrayList<>();
    private final Writer commands;
    /** Each device's port as its last UP or MOVED line gave it. */
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
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
                    notePort(line);
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
     * The ranges lie below the kernel's ephemeral ports: a device port that an outgoing connection
     * happened to hold made that device start on a later port (CI once saw a register name the
     * expected port while nothing listened there).
     */
    private static final int FIRST_BASE_PORT = 10000;
    private static final int RANGES = Math.max(1, (firstEphemeralPort() - FIRST_BASE_PORT) / 100);
    private static final AtomicInteger NEXT_RANGE = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGES));

    private static int firstEphemeralPort() {
        try {
            // read by lines: procfs reports a size of 0, and Files.readString then returned "3"
            String range = java.nio.file.Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768; // Linux's default
        }
    }

    private static int nextBasePort(int ranges) {
        int first = NEXT_RANGE.getAndAdd(ranges) % RANGES;
        if (first + ranges > RANGES) {
            first = 0; // a large fleet does not run into the ephemeral ports
        }
        return FIRST_BASE_PORT + first * 100;
    }

    /** Starts {@code devices} devices and waits for READY. Extra arguments go to the simulator. */
    static SimulatorProcess start(Path logDir, int devices, String... extra) {
        return start(List.of(), logDir, devices, extra);
    }

    /** As {@link #start(Path, int, String...)}, with {@code prefix} before {@code java} (a lab host's, {@link Lab#prefix}). */
    static SimulatorProcess start(List<String> prefix, Path logDir, int devices, String... extra) {
        int ranges = Math.max(1, (devices + 99) / 100);
        int basePort = nextBasePort(ranges);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(GatewayProcess.java(), "-Xmx256m", "-jar",
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

    /** Notes the port of an {@code UP}, {@code MOVED} or {@code RESTARTED name address:port} line. */
    private void notePort(String line) {
        String[] words = line.split(" ");
        if (words.length == 3 && (words[0].equals("UP") || words[0].equals("MOVED") || words[0].equals("RESTARTED"))) {
            try {
                ports.put(words[1], Integer.parseInt(words[2].substring(words[2].lastIndexOf(':') + 1)));
            } catch (NumberFormatException e) {
                // not a device line
            }
        }
    }

    /**
     * The port {@code device} listens on, as the simulator said: not always base port plus index, as a
     * device whose port was taken starts on a later one.
     */
    int port(String device) {
        Integer port = ports.get(device);
        if (port == null) {
            throw new AssertionError("the simulator printed no UP line for " + device);
        }
        return port;
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
