package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (never a fixed sleep). */
final class Await {
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(() -> what, DEADLINE, condition);
    }

    /** Polls every 5 ms; fails with {@code what} (computed at the end, so it can show the last state). */
    static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what.get());
            }
        }
    }
}
