package io.wasmiot.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One python-zeroconf process advertising services ({@code benchmarks/zeroconf-fleet.py}), as a
 * reference Python supervisor's mDNS stack does: its probing, its record lifetimes, and no goodbye
 * when it is killed. A restarted supervisor is a new one of these.
 */
final class ZeroconfAdvertiser implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ZeroconfAdvertiser(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // ended
            }
        }, "zeroconf-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * python-zeroconf's version where {@code /usr/bin/python3} has it, else {@code null}; under
     * {@code CI} its absence fails (CI installs Debian's python3-zeroconf).
     */
    static String installedVersion() {
        try {
            Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import zeroconf; print(zeroconf.__version__)")
                    .redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return output;
            }
        } catch (IOException e) {
            // no python
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("python-zeroconf is missing (apt-get install python3-zeroconf)");
        }
        return null;
    }

    /**
     * A new advertiser on {@code address}, run with {@code prefix} (a lab host's, or none);
     * {@code hostTtl}/{@code otherTtl} in seconds, 0 for python-zeroconf's own (120/4500).
     */
    static ZeroconfAdvertiser start(List<String> prefix, Path logDir, String address, int hostTtl, int otherTtl) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(PYTHON.toString(), script().toString(), "--address", address));
        if (hostTtl > 0) {
            command.addAll(List.of("--host-ttl", String.valueOf(hostTtl)));
        }
        if (otherTtl > 0) {
            command.addAll(List.of("--other-ttl", String.valueOf(otherTtl)));
        }
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(
                    logDir.resolve("zeroconf-" + address + ".log").toFile())).start();
            ZeroconfAdvertiser advertiser = new ZeroconfAdvertiser(process);
            advertiser.await("READY 0", Duration.ofSeconds(30));
            return advertiser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Registers {@code ports} (name to port) at once, as a supervisor does at its start.
     * @return when the first announcement went out (python-zeroconf printed PROBED), System.nanoTime
     */
    long advertise(Map<String, Integer> ports) {
        StringBuilder add = new StringBuilder("add");
        ports.forEach((name, port) -> add.append(' ').append(name).append(' ').append(port));
        send(add.toString());
        send("go");
        long probed = await("PROBED " + ports.size(), Duration.ofSeconds(30));
        await("READY", Duration.ofSeconds(30));
        return probed;
    }

    private static Path script() {
        Path script = Path.of(System.getProperty("wasmiot.zeroconf.script", "../benchmarks/zeroconf-fleet.py"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script.toAbsolutePath() + " is missing");
        }
        return script;
    }

    private void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return when the line came (System.nanoTime) */
    private long await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError("python-zeroconf printed no '" + prefix + "' within " + timeout
                            + (process.isAlive() ? "" : " (it exited)"));
                }
                if (line.startsWith("ERROR")) {
                    throw new AssertionError("python-zeroconf: " + line);
                }
                if (line.startsWith(prefix)) {
                    return System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL: no goodbye, as a stopped or killed reference supervisor. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
