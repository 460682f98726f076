package io.wasmiot.agent.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.agent.internal.Device;
import io.wasmiot.agent.internal.DeviceFleet;
import io.wasmiot.agent.internal.DeviceSettings;
import io.wasmiot.agent.internal.FaultMode;
import io.wasmiot.agent.internal.FleetSettings;
import io.wasmiot.agent.internal.mdns.Registration;

/**
 * N simulated devices on one {@link DeviceFleet}, driven by line commands; answers are single
 * machine-readable lines (the gateway's integration tests parse them):
 * <pre>
 *   (start)              UP name address:port   per device, then READY count
 *   goodbye NAME         GONE NAME
 *   vanish NAME          VANISHED NAME
 *   return NAME          UP NAME address:port
 *   move NAME PORT       MOVED NAME address:port
 *   restart NAME [PORT]  RESTARTED NAME address:port   (no goodbye; probed and announced again)
 *   down NAME            DOWN NAME                      (no goodbye; answers nothing more)
 *   up NAME [PORT]       UP NAME address:port
 *   fault NAME MODE      FAULT NAME MODE
 *   add COUNT            UP ... per new device, then READY total
 *   checks NAME          CHECKS NAME count
 *   gateway NAME         GATEWAY NAME url   (what POST /register last told it; "-" before any)
 *   record NAME PORT [KEY=VALUE]...   RECORDED NAME   (a bare mDNS record; words percent-encoded)
 *   unrecord NAME        UNRECORDED NAME   (its goodbye)
 *   anything wrong       ERROR message
 * </pre>
 * A timed fault firing prints, unasked, the line of the matching command (VANISHED, GONE, MOVED).
 */
public final class Simulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
    /** A device that cannot bind its port tries the next ones this many times. */
    private static final int PORT_ATTEMPTS = 10;
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final SimulatorOptions options;
    private final PrintStream out;
    private final DeviceFleet fleet;
    /** Bare records of the {@code record} command, by name as decoded. Command thread only. */
    private final java.util.Map<String, Registration> records = new java.util.HashMap<>();
    /** Index of the next device to create (names continue after {@code add}). Command thread only. */
    private int nextIndex;

    public Simulator(SimulatorOptions options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.fleet = new DeviceFleet(FleetSettings.builder()
                .mdnsEnabled(options.mdns())
                .advertisedAddress(options.mdnsAddress())
                .recordLifetimes(options.lifetimes())
                .devicesPerDatagram(options.devicesPerDatagram())
                .goodbyeOnClose(options.goodbyeOnStop())
                .eventLoopThreads(options.threads())
                .basePort(options.basePort())
                .faultAfter(options.faultAfter())
                .slowDelay(options.slowDelay())
                .flapEvery(options.flapEvery())
                .renewalPause(options.renewalPause())
                .build(), this::faultFired);
    }

    /** Starts the devices of the command line: an UP line each, then READY with how many came up. */
    public int startInitialDevices() {
        long started = System.nanoTime();
        List<FaultMode> modes = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            modes.add(options.faultFor(i));
        }
        int up = startDevices(modes);
        LOG.info("{} of {} devices up in {} ms on {} (mDNS {})", up, options.devices(),
                (System.nanoTime() - started) / 1_000_000, fleet.advertisedAddress(), fleet.mdnsEnabled() ? "on" : "off");
        line("READY " + up);
        return up;
    }

    /** Reads commands until end of input (which does not stop the simulator). */
    public void serve(BufferedReader in) throws IOException {
        String command;
        while ((command = in.readLine()) != null) {
            handle(command);
        }
        LOG.info("Command input closed; the devices keep running until the process is stopped");
    }

    /** Runs one command line and prints its answer. Blank lines are ignored. */
    public void handle(String commandLine) {
        String[] words = commandLine.trim().split("\\s+");
        if (words[0].isEmpty()) {
            return;
        }
        try {
            switch (words[0]) {
                case "goodbye":
                    arguments(words, 1);
                    await(device(words[1]).goodbye());
                    line("GONE " + words[1]);
                    break;
                case "vanish":
                    arguments(words, 1);
                    await(device(words[1]).vanish());
                    line("VANISHED " + words[1]);
                    break;
                case "return": {
                    arguments(words, 1);
                    Device device = await(device(words[1]).comeBack());
                    line("UP " + device.name() + " " + endpoint(device));
                    break;
                }
                case "move": {
                    arguments(words, 2);
                    Device device = device(words[1]);
                    int port = number(words[2], "port", 1, 65535);
                    await(device.move(port));
                    line("MOVED " + device.name() + " " + endpoint(device));
                    break;
                }
                case "restart": {
                    Device device = device(arguments(words, 1, 2));
                    await(device.restart(words.length > 2 ? number(words[2], "port", 1, 65535) : 0));
                    line("RESTARTED " + device.name() + " " + endpoint(device));
                    break;
                }
                case "down":
                    arguments(words, 1);
                    await(device(words[1]).down());
                    line("DOWN " + words[1]);
                    break;
                case "up": {
                    Device device = device(arguments(words, 1, 2));
                    await(device.up(words.length > 2 ? number(words[2], "port", 1, 65535) : 0));
                    line("UP " + device.name() + " " + endpoint(device));
                    break;
                }
                case "fault": {
                    arguments(words, 2);
                    Device device = device(words[1]);
                    FaultMode mode;
                    try {
                        mode = FaultMode.parse(words[2]);
                    } catch (IllegalArgumentException e) {
                        throw new CommandException(e.getMessage());
                    }
                    await(device.changeFaultMode(mode));
                    line("FAULT " + device.name() + " " + mode.label());
                    break;
                }
                case "add": {
                    arguments(words, 1);
                    int count = number(words[1], "count", 1, SimulatorOptions.MAX_DEVICES);
                    List<FaultMode> modes = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        modes.add(FaultMode.HEALTHY);
                    }
                    startDevices(modes);
                    line("READY " + fleet.devices().size());
                    break;
                }
                case "checks": {
                    arguments(words, 1);
                    Device device = device(words[1]);
                    line("CHECKS " + device.name() + " " + device.healthChecks());
                    break;
                }
                case "gateway": {
                    arguments(words, 1);
                    Device device = device(words[1]);
                    line("GATEWAY " + device.name() + " " + (device.gatewayUrl() == null ? "-" : device.gatewayUrl()));
                    break;
                }
                case "record": {
                    if (words.length < 3) {
                        throw new CommandException("'record' takes a name, a port and any KEY=VALUE TXT entries");
                    }
                    String name = text(words[1]);
                    int port = number(words[2], "port", 0, 65535);
                    java.util.Map<String, byte[]> txt = new java.util.LinkedHashMap<>();
                    for (int i = 3; i < words.length; i++) {
                        int equals = words[i].indexOf('=');
                        if (equals < 1) {
                            throw new CommandException("TXT entry '" + words[i] + "' is not KEY=VALUE");
                        }
                        txt.put(text(words[i].substring(0, equals)), bytes(words[i].substring(equals + 1)));
                    }
                    if (records.containsKey(name)) {
                        throw new CommandException("a record named '" + words[1] + "' is advertised; unrecord it first");
                    }
                    try {
                        records.put(name, fleet.advertiseRecord(name, port, txt));
                    } catch (IOException | RuntimeException e) {
                        throw new CommandException("cannot advertise '" + words[1] + "': " + message(e));
                    }
                    line("RECORDED " + words[1]);
                    break;
                }
                case "unrecord": {
                    arguments(words, 1);
                    Registration record = records.remove(text(words[1]));
                    if (record == null) {
                        throw new CommandException("no record named '" + words[1] + "'");
                    }
                    fleet.withdrawRecord(record);
                    line("UNRECORDED " + words[1]);
                    break;
                }
                default:
                    throw new CommandException("unknown command '" + words[0]
                            + "' (goodbye, vanish, return, move, restart, down, up, fault, add, checks, gateway, record, unrecord)");
            }
        } catch (CommandException e) {
            line("ERROR " + e.getMessage());
        }
    }

    @Override
    public void close() {
        fleet.close();
    }

    /** Starts one device per mode, prints an UP (or ERROR) line as each comes up; returns how many did. */
    private int startDevices(List<FaultMode> modes) {
        AtomicInteger up = new AtomicInteger();
        List<CompletableFuture<?>> starts = new ArrayList<>();
        long startedNanos = System.nanoTime();
        long nanosPerDevice = (long) (1e9 / options.startRate());
        for (int i = 0; i < modes.size(); i++) {
            FaultMode mode = modes.get(i);
            // Paced: each new service costs 3 probes and 3 announcements (packed with those of the
            // devices starting in the same 2 ms); bursts of thousands at once overflow receivers.
            long due = startedNanos + i * nanosPerDevice;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String name = options.deviceName(nextIndex++);
            starts.add(startOnFreePort(name, mode, PORT_ATTEMPTS).handle((device, failure) -> {
                if (failure == null) {
                    up.incrementAndGet();
                    line("UP " + device.name() + " " + endpoint(device));
                } else {
                    LOG.error("{}: did not start: {}", name, message(failure));
                    line("ERROR " + name + " did not start: " + message(failure));
                }
                return null;
            }));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        return up.get();
    }

    /** Starts on the next port; a port another process holds is skipped (logged) for the next one. */
    private CompletableFuture<Device> startOnFreePort(String name, FaultMode mode, int attemptsLeft) {
        int port;
        try {
            port = fleet.ports().next();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        DeviceSettings settings = new DeviceSettings(name, port, options.orchestratorUrl(), options.renewalTime(),
                options.descriptionFile(), mode);
        return fleet.start(settings).handle((device, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(device);
            }
            if (attemptsLeft > 1 && causedBy(failure, BindException.class)) {
                LOG.warn("{}: port {} is taken; trying the next one", name, port);
                return startOnFreePort(name, mode, attemptsLeft - 1);
            }
            return CompletableFuture.<Device>failedFuture(failure);
        }).thenCompose(next -> next);
    }

    private void faultFired(Device device, FaultMode mode) {
        switch (mode) {
            case VANISH:
                line("VANISHED " + device.name());
                break;
            case GOODBYE:
                line("GONE " + device.name());
                break;
            case MOVE:
                line("MOVED " + device.name() + " " + endpoint(device));
                break;
            default:
                break;
        }
    }

    private Device device(String name) throws CommandException {
        return fleet.device(name).orElseThrow(() -> new CommandException("no device named '" + name + "'"));
    }

    private static String endpoint(Device device) {
        return device.address() + ":" + device.port();
    }

    private static void arguments(String[] words, int count) throws CommandException {
        if (words.length != count + 1) {
            throw new CommandException("'" + words[0] + "' takes " + count + (count == 1 ? " argument" : " arguments"));
        }
    }

    /** Checks that {@code words} holds {@code min} to {@code max} arguments; returns the first. */
    private static String arguments(String[] words, int min, int max) throws CommandException {
        if (words.length < min + 1 || words.length > max + 1) {
            throw new CommandException("'" + words[0] + "' takes " + min + " to " + max + " arguments");
        }
        return words[1];
    }

    private static String text(String word) throws CommandException {
        return new String(bytes(word), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String word) throws CommandException {
        try {
            return PercentText.decode(word);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static int number(String text, String what, int min, int max) throws CommandException {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandException(what + " '" + text + "' must be a whole number from " + min + " to " + max);
    }

    private static <T> T await(CompletableFuture<T> operation) throws CommandException {
        try {
            return operation.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CommandException(message(e.getCause()));
        } catch (TimeoutException e) {
            throw new CommandException("no answer within " + COMMAND_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted");
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A one-line message: protocol lines must not break. */
    private static String message(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /** One protocol line, written whole and flushed. */
    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    /** A command that cannot run; its message becomes the ERROR line. */
    private static final class CommandException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandException(String message) {
            super(message);
        }
    }
}
