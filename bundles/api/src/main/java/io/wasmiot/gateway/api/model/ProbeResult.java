package io.wasmiot.gateway.api.model;

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
 * @param unreachable no address could even be connected to (connect timeout, no route): what a fault
 *                    in the gateway's own network looks like. A refusal or any HTTP answer shows the
 *                    network works, and is not "unreachable".
 */
public record ProbeResult(String body, String address, List<String> failedAddresses, String failure,
                          boolean orchestratorSet, Duration elapsed, boolean unreachable) {
    public ProbeResult {
        failedAddresses = List.copyOf(failedAddresses);
        Objects.requireNonNull(elapsed, "elapsed");
        if ((body == null) == (failure == null)) {
            throw new IllegalArgumentException("a probe result has either a body or a failure");
        }
        if (unreachable && body != null) {
            throw new IllegalArgumentException("a successful probe result reached its device");
        }
    }

    /** A result whose failure, if any, is not an unreachable network. */
    public ProbeResult(String body, String address, List<String> failedAddresses, String failure,
                       boolean orchestratorSet, Duration elapsed) {
        this(body, address, failedAddresses, failure, orchestratorSet, elapsed, false);
    }

    public boolean succeeded() {
        return body != null;
    }
}
