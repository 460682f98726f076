package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers devices with the gateway: {@code POST {url}/file/device/discovery/register}, retried
 * with exponential backoff (initial pause doubling up to a maximum, plus up to 10% jitter so a
 * fleet does not retry in lockstep) until a 2xx answer. Requests are sent with the blocking
 * {@link HttpClient#send} from a bounded pool, which is also the bound on requests in flight: the
 * JDK's {@code sendAsync} would hop to the common pool, which on a 2-core machine means a new
 * thread per answer. Only the status matters, so the answer body is never read (the connection is
 * closed instead): each attempt is bounded by the connect and request timeouts.
 */
final class OrchestratorClient {
    static final String REGISTER_PATH = "/file/device/discovery/register";
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorClient.class);

    private final HttpClient http;
    private final Executor senders;
    private final ScheduledExecutorService scheduler;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private volatile boolean closed;

    /**
     * @param senders   runs the blocking sends; its size bounds the requests in flight. Must not be
     *                  the HTTP client's own executor (a full pool of waiting senders would starve it).
     */
    OrchestratorClient(HttpClient http, Executor senders, ScheduledExecutorService scheduler,
            Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {
        this.http = http;
        this.senders = senders;
        this.scheduler = scheduler;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.requestTimeout = requestTimeout;
    }

    /** Checks a gateway base URL: absolute http(s) with a host; drops a trailing slash. */
    static URI validateBaseUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL with a host");
        }
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    /** Parses and checks a gateway base URL given as text. */
    static URI parseBaseUrl(String text) {
        try {
            return validateBaseUrl(new URI(text.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason(), e);
        }
    }

    /**
     * Starts registering; attempts go on until one succeeds or the returned registration is
     * cancelled. {@code onAttempt} runs before each request, {@code onSuccess} once after the
     * accepted one; both on a sender thread.
     */
    Registration register(String deviceName, URI baseUrl, byte[] body, Runnable onAttempt, Runnable onSuccess) {
        URI target = URI.create(baseUrl.toString() + REGISTER_PATH);
        Registration registration = new Registration(deviceName, target, body, onAttempt, onSuccess);
        registration.submit();
        return registration;
    }

    /** Stops every registration: nothing more is sent, answers still on the wire are ignored. */
    void close() {
        closed = true;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** One device's registration: its attempts and the pending retry. */
    final class Registration {
        private final String deviceName;
        private final URI target;
        private final byte[] body;
        private final Runnable onAttempt;
        private final Runnable onSuccess;
        private volatile boolean cancelled;
        private volatile boolean succeeded;
        private volatile int attempts;
        private volatile ScheduledFuture<?> retry;

        private Registration(String deviceName, URI target, byte[] body, Runnable onAttempt, Runnable onSuccess) {
            this.deviceName = deviceName;
            this.target = target;
            this.body = body;
            this.onAttempt = onAttempt;
            this.onSuccess = onSuccess;
        }

        /** Stops further attempts (the device moved, renewed, said goodbye or closed). */
        void cancel() {
            cancelled = true;
            ScheduledFuture<?> pending = retry;
            if (pending != null) {
                pending.cancel(false);
            }
        }

        boolean succeeded() {
            return succeeded;
        }

        int attempts() {
            return attempts;
        }

        private void submit() {
            if (cancelled || closed) {
                return;
            }
            try {
                senders.execute(this::attempt);
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: not registering, the fleet is closing", deviceName);
            }
        }

        private void attempt() {
            if (cancelled || closed) {
                return;
            }
            attempts++;
            onAttempt.run();
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            String failure;
            try {
                HttpResponse<Void> response = http.send(request, info -> new StatusOnlySubscriber());
                if (response.statusCode() / 100 == 2) {
                    if (!cancelled && !closed) {
                        succeeded = true;
                        LOG.info("{}: registered with {} (HTTP {}, attempt {})", deviceName, target,
                                response.statusCode(), attempts);
                        onSuccess.run();
                    }
                    return;
                }
                failure = "HTTP " + response.statusCode();
            } catch (IOException e) {
                failure = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (cancelled || closed) {
                return;
            }
            Duration pause = backoff(attempts);
            // The first failure tells the operator the gateway is not there; the rest are detail.
            if (attempts == 1) {
                LOG.info("{}: registration with {} failed ({}); retrying from {} ms, doubling up to {} ms, until it succeeds",
                        deviceName, target, failure, pause.toMillis(), maxBackoff.toMillis());
            } else {
                LOG.debug("{}: registration attempt {} with {} failed ({}); next in {} ms", deviceName, attempts,
                        target, failure, pause.toMillis());
            }
            try {
                retry = scheduler.schedule(this::submit, pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: not retrying registration, the fleet is closing", deviceName);
            }
        }
    }

    /** {@code initial * 2^(attempt-1)}, capped, plus up to 10% jitter. */
    Duration backoff(int attempt) {
        long initial = initialBackoff.toMillis();
        long max = Math.max(initial, maxBackoff.toMillis());
        long pause = initial;
        for (int i = 1; i < attempt && pause < max; i++) {
            pause = Math.min(max, pause * 2);
        }
        long jitter = pause / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(pause / 10 + 1);
        return Duration.ofMillis(pause + jitter);
    }

    /** Takes no body: cancels at once (closing the connection), so a slow or endless body cannot hold a sender. */
    private static final class StatusOnlySubscriber implements BodySubscriber<Void> {
        private final CompletableFuture<Void> result = new CompletableFuture<>();

        @Override
        public CompletionStage<Void> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            result.complete(null);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            // never requested
        }

        @Override
        public void onError(Throwable failure) {
            result.complete(null);
        }

        @Override
        public void onComplete() {
            result.complete(null);
        }
    }
}
