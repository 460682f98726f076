package io.wasmiot.gateway.probe.internal;

/** One address's outcome: a body (success) or a failure reason, and whether it ran out of time. */
record Attempt(String body, boolean orchestratorSet, String failure, boolean unreachable, boolean timedOut) {
    static Attempt succeeded(String body, boolean orchestratorSet) {
        return new Attempt(body, orchestratorSet, null, false, false);
    }

    static Attempt failed(String failure) {
        return new Attempt(null, false, failure, false, false);
    }

    static Attempt failed(String failure, boolean unreachable) {
        return new Attempt(null, false, failure, unreachable, false);
    }

    static Attempt timedOut(String failure, boolean unreachable) {
        return new Attempt(null, false, failure, unreachable, true);
    }

    boolean succeeded() {
        return body != null;
    }
}
