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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Devices advertised by python-zeroconf, as the reference Python supervisors are
 * ({@code benchmarks/zeroconf-fleet.py}: its record lifetimes, its probing, no goodbye when killed),
 * their HTTP served by a {@code --no-mdns} simulator at the same address.
 */
final class ZeroconfDevices implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private final SimulatorProcess http;
    private final Process advertiser;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String version;

    private ZeroconfDevices(SimulatorProcess http, Process advertiser, String version) {
        this.http = http;
        this.advertiser = advertiser;
        this.version = version;
        this.commands = new OutputStreamWriter(advertiser.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(advertiser.getInputStream(), StandardCharsets.UTF_8))) {
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
     * {@code count} devices named {@code namePrefix0001...} advertised by python-zeroconf on
     * {@code address}, run with {@code prefix} (a lab host's); {@code null} where python-zeroconf is
     * not installed (outside CI).
     */
    static ZeroconfDevices startIfAvailable(List<String> prefix, Path logDir, String address, String namePrefix,
            int count) {
        String version = installedVersion();
        if (version == null) {
            return null;
        }
        SimulatorProcess http = SimulatorProcess.start(prefix, logDir, count, "--no-mdns", "--name-prefix", namePrefix,
                "--mdns-address", address);
        try {
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(PYTHON.toString(), script().toString(), "--address", address));
            Process advertiser = new ProcessBuilder(command)
                    .redirectError(logDir.resolve("zeroconf-" + namePrefix + "stderr.log").toFile()).start();
            ZeroconfDevices devices = new ZeroconfDevices(http, advertiser, version);
            devices.await("READY 0", Duration.ofSeconds(30));
            StringBuilder add = new StringBuilder("add");
            for (int i = 1; i <= count; i++) {
                String name = String.format("%s%04d", namePrefix, i);
                add.append(' ').append(name).append(' ').append(http.port(name));
            }
            devices.send(add.toString());
            devices.send("go");
            devices.await("READY " + count, Duration.ofSeconds(30));
            return devices;
        } catch (IOException e) {
            http.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            http.close();
            throw e;
        }
    }

    private static Path script() {
        Path script = Path.of(System.getProperty("wasmiot.zeroconf.script", "../benchmarks/zeroconf-fleet.py"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script.toAbsolutePath() + " is missing");
        }
        return script;
    }

    String version() {
        return version;
    }

    /** The simulator that serves these devices' HTTP (their ports). */
    SimulatorProcess http() {
        return http;
    }

    private void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError("python-zeroconf printed no '" + prefix + "' within " + timeout);
                }
                if (line.startsWith("ERROR")) {
                    throw new AssertionError("python-zeroconf: " + line);
                }
                if (line.startsWith(prefix)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL: python-zeroconf sends no goodbye, as a stopped or killed reference supervisor. */
    void kill() {
        advertiser.destroyForcibly();
        try {
            advertiser.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        http.close();
    }
}
