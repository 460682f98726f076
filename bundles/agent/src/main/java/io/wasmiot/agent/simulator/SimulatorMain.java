package io.wasmiot.agent.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import org.slf4j.LoggerFactory;

/**
 * {@code java -jar wasmiot-simulator.jar --devices N ...}: see {@link SimulatorOptions#usage()} and
 * {@link Simulator} for the stdout protocol. Logs go to stderr. Exit codes: 2 for a usage error,
 * 1 when the devices cannot start. SIGTERM: every device says goodbye (none with
 * {@code --no-goodbye}), then the JVM exits; end of stdin does not stop it.
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(Arrays.asList(args), System::getenv);
        } catch (SimulatorOptions.UsageException e) {
            System.err.println("wasmiot-simulator: " + e.getMessage());
            System.err.println(SimulatorOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(SimulatorOptions.usage());
            return;
        }
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Simulator simulator;
        try {
            simulator = new Simulator(options, protocol);
        } catch (IOException | RuntimeException e) {
            System.err.println("wasmiot-simulator: cannot start: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LoggerFactory.getLogger(SimulatorMain.class).info(options.goodbyeOnStop()
                    ? "Stopping: every device says goodbye" : "Stopping: the devices vanish without a goodbye");
            simulator.close();
            stopped.countDown();
        }, "wasmiot-simulator-stop"));
        simulator.startInitialDevices();
        try {
            simulator.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LoggerFactory.getLogger(SimulatorMain.class).warn("Reading commands failed: {}", e.toString());
        }
        // Every thread of the fleet is a daemon: this wait is what keeps the devices up until SIGTERM.
        stopped.await();
    }

    /** slf4j-simple defaults for an operator's terminal, unless given with -D (before any logger exists). */
    private static void configureLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "warn");
        // Netty looks for a MAC address for channel ids and warns when there is none (a namespace).
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty.util.internal.MacAddressUtil", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
