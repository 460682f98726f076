package io.wasmiot.gateway.probe.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;
import io.wasmiot.lib.threads.NamedThreadFactory;

/**
 * {@link DeviceProber} on {@link HttpClient}: every request is bounded in time (one deadline
 * covering connect, headers and body), in size (reading stops at the limit) and in number (at most
 * {@code concurrency} in flight across all devices; the rest wait in line without blocking anyone).
 * Addresses of a device are tried one after another; the first good answer wins.
 * <p>
 * The returned stages complete on the prober's own threads; callers with heavy or blocking
 * follow-up work should continue with an {@code *Async} method on their own executor.
 */
@Component(service = DeviceProber.class, configurationPid = ProbeConfig.PID)
@Designate(ocd = ProbeConfig.class)
public class HttpDeviceProber implements DeviceProber {
    static final String DESCRIPTION_PATH = "/.well-known/wasmiot-device-description";
    static final String HEALTH_PATH = "/health";
    static final String REGISTER_PATH = "/register";
    static final String ORCHESTRATOR_SET_HEADER = "Custom-Orchestrator-Set";
    static final String STOPPED = "prober stopped";
    private static final String THREAD_NAME_PREFIX = "wasmiot-probe";
    private static final Logger LOG = LoggerFactory.getLogger(HttpDeviceProber.class);

    private final ProbeSettings settings;
    private final FailureReasons reasons;
    private final ThreadPoolExecutor executor;
    private final HttpClient client;
    /** Every request's slot: at most {@code concurrency} in flight. */
    private final RequestLimiter limiter;
    /**
     * A request to an endpoint whose last request ran out of time takes one of these first, then a
     * slot of {@link #limiter}: such requests hold a quarter of the slots at most ({@code null} with one slot).
     */
    private final RequestLimiter slowLimiter;
    private final SlowEndpoints slowEndpoints = new SlowEndpoints();
    private final DeviceJson json;
    private final AnswerJudge judge;
    private final Set<ProbeCall> pendingCalls = ConcurrentHashMap.newKeySet();
    private final Set<Exchange> exchangesInFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    @Activate
    public HttpDeviceProber(ProbeConfig config) {
        this(ProbeSettings.from(config), THREAD_NAME_PREFIX);
    }

    HttpDeviceProber(ProbeSettings settings, String threadNamePrefix) {
        this.settings = settings;
        this.reasons = new FailureReasons(settings);
        int slowSlots = slowSlots(settings.concurrency());
        this.limiter = new RequestLimiter(settings.concurrency());
        this.slowLimiter = slowSlots == 0 ? null : new RequestLimiter(slowSlots);
        this.json = new DeviceJson(settings);
        this.judge = new AnswerJudge(reasons, json, () -> stopped);
        // The client's work is non-blocking (selector thread + short tasks), so a few threads
        // serve any number of requests; the queue is bounded in practice by the request limiter.
        int threads = Math.min(settings.concurrency(), Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                NamedThreadFactory.numbered(threadNamePrefix));
        executor.allowCoreThreadTimeOut(true);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY) // devices are on the local network, never behind the JVM's proxy
                .connectTimeout(settings.connectTimeout())
                .executor(executor)
                .build();
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            // CompletableFuture's default executor is then a thread per task, and the JDK client
            // completes every sendAsync there: one new thread per request (runtime/jvm.options).
            LOG.warn("The JVM's common pool has parallelism {}: the HTTP client starts a thread for every "
                    + "request; start the gateway with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 "
                    + "(bin/gateway and runtime/jvm.options do)", ForkJoinPool.getCommonPoolParallelism());
        }
        LOG.info("Device prober started: connect timeout {} ms, read timeout {} ms, description <= {} bytes, "
                        + "health <= {} bytes, concurrency {}", settings.connectTimeoutMillis(), settings.readTimeoutMillis(),
                settings.maxDescriptionBytes(), settings.maxHealthBytes(), settings.concurrency());
    }

    /**
     * Fails calls still running with {@value #STOPPED}, aborts their connections and stops the
     * threads. Later calls fail the same way at once.
     */
    @Deactivate
    void close() {
        stopped = true;
        // Calls first: failing the waiting requests below must not turn into per-address reasons.
        for (ProbeCall call : pendingCalls) {
            call.finishStopped();
        }
        limiter.close();
        if (slowLimiter != null) {
            slowLimiter.close();
        }
        ProberStoppedException stop = new ProberStoppedException();
        for (Exchange exchange : exchangesInFlight) {
            exchange.abort(stop);
        }
        // Java 21+: the client owns a selector thread until closed. Exchanges are aborted above, so
        // this does not wait on any device. (On 17 the client is not AutoCloseable.)
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Closing the HTTP client failed", e);
            }
        }
        executor.shutdownNow();
        // On Java 17 the client cannot be closed: it lives on until its selector thread notices it
        // was collected, and holds the executor meanwhile. Hand the executor a JDK thread factory so
        // that it no longer refers to a class of this bundle revision (which it would keep loaded,
        // and through it the API revision it is wired to, after an update or a refresh).
        executor.setThreadFactory(Executors.defaultThreadFactory());
        LOG.info("Device prober stopped");
    }

    @Override
    public CompletionStage<ProbeResult> describe(Communication target) {
        return run(target, target == null ? List.of() : target.addresses(),
                new Query("GET", DESCRIPTION_PATH, null, null, settings.maxDescriptionBytes(), false));
    }

    @Override
    public CompletionStage<ProbeResult> checkHealth(Communication target, String forwardedFor) {
        String header = forwardedFor == null || forwardedFor.isBlank() ? null : forwardedFor.strip();
        return run(target, target == null ? List.of() : target.addresses(),
                new Query("GET", HEALTH_PATH, null, header, settings.maxHealthBytes(), false));
    }

    @Override
    public CompletionStage<ProbeResult> tellGateway(Communication target, String address, String gatewayUrl) {
        if (address == null || address.isBlank()) {
            return failedAtOnce("no address to register with");
        }
        if (gatewayUrl == null || gatewayUrl.isBlank()) {
            return failedAtOnce(shown(address) + ": no gateway URL to tell");
        }
        byte[] body;
        try {
            body = json.registerBody(gatewayUrl);
        } catch (JsonProcessingException e) {
            return failedAtOnce(shown(address) + ": cannot write the register body (" + e.getOriginalMessage() + ")");
        }
        return run(target, List.of(address), new Query("POST", REGISTER_PATH, body, null, settings.maxHealthBytes(), true));
    }

    /** Requests waiting for a slot (tests and diagnostics). */
    int requestsWaiting() {
        return limiter.waiting() + (slowLimiter == null ? 0 : slowLimiter.waiting());
    }

    /** How many of {@code concurrency} slots requests to slow endpoints may use: a quarter, none when there is one. */
    static int slowSlots(int concurrency) {
        return concurrency < 2 ? 0 : Math.max(1, concurrency / 4);
    }

    private CompletionStage<ProbeResult> failedAtOnce(String failure) {
        ProbeCall call = new ProbeCall(pendingCalls::remove);
        call.failures.add(failure);
        call.failAll();
        return call.result.minimalCompletionStage();
    }

    private CompletionStage<ProbeResult> run(Communication target, List<String> addresses, Query query) {
        ProbeCall call = new ProbeCall(pendingCalls::remove);
        pendingCalls.add(call);
        // Registered before the check, so close() either sees the call or the call sees stopped.
        if (stopped) {
            call.finishStopped();
        } else if (target == null) {
            call.failures.add("no device to query");
            call.failAll();
        } else {
            tryAddress(call, target, addresses, 0, query);
        }
        return call.result.minimalCompletionStage();
    }

    private void tryAddress(ProbeCall call, Communication target, List<String> addresses, int index, Query query) {
        if (call.result.isDone()) {
            return; // the prober stopped meanwhile
        }
        if (index >= addresses.size()) {
            call.failAll();
            return;
        }
        String address = addresses.get(index);
        attempt(target, address, query).whenComplete((outcome, error) -> {
            if (stopped) {
                call.finishStopped();
                return;
            }
            try {
                Attempt attempt = error == null ? outcome
                        : Attempt.failed(shown(address) + ": " + reasons.of(error), FailureReasons.isUnreachable(error));
                if (attempt.succeeded()) {
                    call.succeed(attempt.body(), address, attempt.orchestratorSet());
                } else {
                    call.failedAddresses.add(address);
                    call.failures.add(attempt.failure());
                    call.allUnreachable &= attempt.unreachable();
                    tryAddress(call, target, addresses, index + 1, query);
                }
            } catch (RuntimeException e) {
                // Never leave a caller waiting, even on a bug here.
                LOG.error("Probing {} failed unexpectedly", shown(address), e);
                call.failures.add(shown(address) + ": internal error (" + e + ")");
                call.failAll();
            }
        });
    }

    private CompletableFuture<Attempt> attempt(Communication target, String address, Query query) {
        HttpRequest request;
        URI uri;
        try {
            uri = DeviceUrls.uri(target.scheme(), address, target.port(), query.path());
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(settings.readTimeout());
            if (query.body() != null) {
                builder.header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(query.body()));
            } else {
                builder.GET();
            }
            if (query.forwardedFor() != null) {
                builder.header("X-Forwarded-For", query.forwardedFor());
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // A malformed address, or one the JDK client refuses (e.g. a zone id it cannot take).
            LOG.debug("{} to {} not sent: {}", query.method(), shown(address), e.getMessage());
            return CompletableFuture.completedFuture(
                    Attempt.failed(shown(address) + ": cannot build request (" + DeviceUrls.printable(String.valueOf(e.getMessage())) + ")"));
        }
        String endpoint = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        java.util.function.Supplier<CompletableFuture<Attempt>> send =
                () -> limiter.submit(() -> exchange(request, shown(address), query));
        CompletableFuture<Attempt> sent = slowLimiter != null && slowEndpoints.isSlow(endpoint)
                ? slowLimiter.submit(send) : send.get();
        return sent.whenComplete((outcome, error) -> {
            if (!stopped) {
                slowEndpoints.record(endpoint, outcome != null ? outcome.timedOut() : FailureReasons.isTimeout(error));
            }
        });
    }

    /** One request in one limiter slot; the slot is held until the outcome is judged. */
    private CompletableFuture<Attempt> exchange(HttpRequest request, String shown, Query query) {
        if (stopped) {
            return CompletableFuture.failedFuture(new ProberStoppedException());
        }
        long started = System.nanoTime();
        IntPredicate bodyWanted = query.anySuccessStatus() ? AnswerJudge::isSuccessful : status -> status == 200;
        BoundedBodyHandler handler = new BoundedBodyHandler(query.maxBodyBytes(), bodyWanted);
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = client.sendAsync(request, handler);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        Exchange exchange = new Exchange(sent, handler);
        exchangesInFlight.add(exchange);
        // HttpRequest.timeout covers only the wait for headers: this deadline covers the body too.
        CompletableFuture<HttpResponse<byte[]>> deadline =
                sent.copy().orTimeout(settings.readTimeoutMillis(), TimeUnit.MILLISECONDS);
        deadline.whenComplete((response, error) -> {
            exchangesInFlight.remove(exchange);
            if (error != null) {
                exchange.abort(error); // close the connection now, whatever stage the client is in
            }
        });
        // Judge (parse JSON) on our pool, not on the JDK's timer or selector thread.
        return deadline.handleAsync((response, error) -> judge.judge(query, request.uri(), shown, handler, response, error, started),
                executor);
    }

    private static String shown(String address) {
        return address == null ? "null" : DeviceUrls.printable(DeviceUrls.hostForUrl(address));
    }
}
