package io.wasmiot.gateway.probe.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.wasmiot.gateway.api.model.ProbeResult;

/** One public call of the prober over all its addresses; completed exactly once. */
final class ProbeCall {
    final long startedNanos = System.nanoTime();
    final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    // Touched only by the call's own chain of attempts, one after another.
    final List<String> failedAddresses = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    /** Every attempt so far failed to connect at all. */
    boolean allUnreachable = true;
    private final Consumer<ProbeCall> onFinish;

    /** @param onFinish told as the call completes, before its result is (the prober's list of pending calls) */
    ProbeCall(Consumer<ProbeCall> onFinish) {
        this.onFinish = onFinish;
    }

    void succeed(String body, String address, boolean orchestratorSet) {
        finish(new ProbeResult(body, address, failedAddresses, null, orchestratorSet, elapsed()));
    }

    void failAll() {
        String failure = failures.isEmpty() ? "no address to try" : String.join("; ", failures);
        finish(new ProbeResult(null, null, failedAddresses, failure, false, elapsed(),
                allUnreachable && !failedAddresses.isEmpty()));
    }

    void finishStopped() {
        finish(new ProbeResult(null, null, List.of(), HttpDeviceProber.STOPPED, false, elapsed()));
    }

    private void finish(ProbeResult outcome) {
        onFinish.accept(this);
        result.complete(outcome);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
