package io.wasmiot.agent.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a device misbehaves (docs/contract.md §8). The HTTP modes shape every answer of the three device routes
 * ({@code /.well-known/wasmiot-device-description}, {@code /health}, {@code /register}); flapping
 * shapes {@code /health} only. The timed modes ({@link #isTimed()}) are one-shot events that fire
 * {@code faultAfter} after the device starts (or after the mode is set), after which the device
 * behaves as {@link #HEALTHY} again wherever its port is open.
 */
public enum FaultMode {
    /** Answers correctly. */
    HEALTHY,
    /** Delays every answer by {@code slowDelay} (default 8 s, past the gateway's 5 s read timeout). */
    SLOW,
    /** {@code /health} answers in runs: {@code flapEvery} healthy answers, then as many HTTP 500s, and so on. */
    FLAPPING,
    /** 200 with a body that is not JSON. */
    MALFORMED,
    /** 200 with a 1 MiB JSON body (past the gateway's 256 KiB / 64 KiB limits). */
    OVERSIZED,
    /** HTTP 500 with a JSON error. */
    HTTP500,
    /** Closes its port without an mDNS goodbye: its record stays registered, as with a crashed supervisor whose responder lives on. */
    VANISH,
    /** Sends the mDNS goodbye and closes its port. */
    GOODBYE,
    /** Changes its port: goodbye, listen on the next free port, advertise and register again. */
    MOVE;

    /** The name used on the command line and in the simulator's protocol. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this mode is a one-shot event that fires after {@code faultAfter} rather than a way of answering. */
    public boolean isTimed() {
        return this == VANISH || this == GOODBYE || this == MOVE;
    }

    /** Parses a {@link #label()}; the message of the exception lists the valid ones. */
    public static FaultMode parse(String label) {
        for (FaultMode mode : values()) {
            if (mode.label().equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown fault mode '" + label + "' (one of: " + labels() + ")");
    }

    public static String labels() {
        return Arrays.stream(values()).map(FaultMode::label).collect(Collectors.joining(", "));
    }
}
