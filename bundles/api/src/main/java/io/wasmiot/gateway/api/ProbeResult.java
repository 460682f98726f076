package io.wasmiot.gateway.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one query to a device over all of its addresses.
 *
 * @param body the JSON object text that answered, or {@code null} when no address answered well
 * @param address the address that answered, or {@code null}
 * @param failedAddresses addresses that were tried and failed, in order
 * @param failure why each tried address failed ("address: reason", joined by "; "), or {@code null} on success
 * @param orchestratorSet the device's {@code Custom-Orchestrator-Set} header was {@code true}
 * @param elapsed time from the call to the outcome
 */
public record ProbeResult(String body, String address, List<String> failedAddresses, String failure,
                          boolean orchestratorSet, Duration elapsed) {
    public ProbeResult {
        failedAddresses = List.copyOf(failedAddresses);
        Objects.requireNonNull(elapsed, "elapsed");
        if ((body == null) == (failure == null)) {
            throw new IllegalArgumentException("a probe result has either a body or a failure");
        }
    }

    public boolean succeeded() {
        return body != null;
    }
}
