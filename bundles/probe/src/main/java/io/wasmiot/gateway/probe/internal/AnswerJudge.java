package io.wasmiot.gateway.probe.internal;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Judges one request's outcome (an answer or an error) as an {@link Attempt}: a body, or the reason it failed. */
final class AnswerJudge {
    /** The prober's logger: its lines keep the name operators know. */
    private static final Logger LOG = LoggerFactory.getLogger(HttpDeviceProber.class);

    private final FailureReasons reasons;
    private final DeviceJson json;
    private final BooleanSupplier stopped;

    /** @param stopped whether the prober has stopped: then every failure is {@value HttpDeviceProber#STOPPED} */
    AnswerJudge(FailureReasons reasons, DeviceJson json, BooleanSupplier stopped) {
        this.reasons = reasons;
        this.json = json;
        this.stopped = stopped;
    }

    Attempt judge(Query query, URI uri, String shown, BoundedBodyHandler handler, HttpResponse<byte[]> response,
                  Throwable error, long startedNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        if (error != null) {
            Throwable cause = FailureReasons.unwrap(error);
            if (query.anySuccessStatus() && cause instanceof BodyTooLargeException && isSuccessful(handler.status())) {
                // The device took the registration; an oversized answer to it is beside the point.
                LOG.debug("{} {} -> HTTP {} (body over limit, ignored) in {} ms", query.method(), uri, handler.status(), millis);
                return Attempt.succeeded("{}", false);
            }
            String reason = stopped.getAsBoolean() ? HttpDeviceProber.STOPPED : reasons.of(cause);
            LOG.debug("{} {} failed after {} ms: {}", query.method(), uri, millis, reason);
            boolean unreachable = !stopped.getAsBoolean() && FailureReasons.isUnreachable(cause);
            return FailureReasons.isTimeout(cause) ? Attempt.timedOut(shown + ": " + reason, unreachable)
                    : Attempt.failed(shown + ": " + reason, unreachable);
        }
        int status = response.statusCode();
        LOG.debug("{} {} -> HTTP {} in {} ms", query.method(), uri, status, millis);
        boolean orchestratorSet = response.headers().firstValue(HttpDeviceProber.ORCHESTRATOR_SET_HEADER)
                .map(value -> value.strip().equalsIgnoreCase("true"))
                .orElse(false);
        if (query.anySuccessStatus()) {
            if (!isSuccessful(status)) {
                return Attempt.failed(shown + ": HTTP " + status);
            }
            try {
                return Attempt.succeeded(json.compactObject(response.body()), orchestratorSet);
            } catch (DeviceJson.InvalidBodyException e) {
                return Attempt.succeeded("{}", orchestratorSet); // any 2xx registers; the body need not be JSON
            }
        }
        if (status != 200) {
            return Attempt.failed(shown + ": HTTP " + status);
        }
        try {
            return Attempt.succeeded(json.compactObject(response.body()), orchestratorSet);
        } catch (DeviceJson.InvalidBodyException e) {
            return Attempt.failed(shown + ": " + e.getMessage());
        }
    }

    static boolean isSuccessful(int status) {
        return status >= 200 && status < 300;
    }
}
