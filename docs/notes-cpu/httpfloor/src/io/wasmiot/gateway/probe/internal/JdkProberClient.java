package io.wasmiot.gateway.probe.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wasmiot.gateway.probe.internal.HttpFloor.*;

/**
 * The prober's request path: its ThreadPoolExecutor (min(64, max(2, 2 x cores)) threads, named
 * wasmiot-probe-N) as the client's executor, HTTP/1.1, no redirects, no proxy, connect timeout
 * 2 s, HttpRequest.timeout 5 s, sendAsync with its BoundedBodyHandler, the body deadline
 * (copy().orTimeout), the in-flight set, the limiter, and the outcome handled on the pool.
 */
final class JdkProberClient implements Client {
    final ThreadPoolExecutor executor;
    final HttpClient client;
    final boolean close;
    final Set<Object> exchangesInFlight = ConcurrentHashMap.newKeySet();
    RequestLimiter limiter;

    JdkProberClient(boolean direct, boolean close) {
        this.close = close;
        int threads = Math.min(64, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("wasmiot-probe"));
        executor.allowCoreThreadTimeOut(true);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(java.time.Duration.ofMillis(CONNECT_TIMEOUT_MS));
        builder.executor(direct ? Runnable::run : executor);
        client = builder.build();
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            System.err.println("warning: common pool parallelism " + ForkJoinPool.getCommonPoolParallelism()
                    + " (a thread per sendAsync completion)");
        }
    }

    @Override
    public int run(List<String> urls, int concurrency) throws Exception {
        if (limiter == null) {
            limiter = new RequestLimiter(concurrency);
        }
        return HttpFloor.runLimited(limiter, urls, this::exchange);
    }

    private CompletableFuture<Boolean> exchange(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(java.time.Duration.ofMillis(READ_TIMEOUT_MS)).GET();
        if (close) {
            b.header("Connection", "close"); // needs -Djdk.httpclient.allowRestrictedHeaders=connection
        }
        HttpRequest request = b.build();
        BoundedBodyHandler handler = new BoundedBodyHandler(maxBytes(url), status -> status == 200);
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = client.sendAsync(request, handler);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        Object exchange = new Object[] {sent, handler};
        exchangesInFlight.add(exchange);
        CompletableFuture<HttpResponse<byte[]>> deadline = sent.copy().orTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        final CompletableFuture<HttpResponse<byte[]>> sentF = sent;
        deadline.whenComplete((response, error) -> {
            exchangesInFlight.remove(exchange);
            if (error != null) {
                handler.abandon(error);
                sentF.cancel(true);
            }
        });
        return deadline.handleAsync((response, error) -> error == null && response.statusCode() == 200
                && response.body().length > 0, executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
