package io.wasmiot.gateway.probe.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/** Apache HttpClient 5.1.3 (the version in the local Maven repository), classic and async. */
final class ApacheClients {
    private ApacheClients() {
    }

    /** Idle connections are kept (as the JDK client keeps them) unless the request says close. */
    static final int POOL_TOTAL = 20_000;

    static RequestConfig requestConfig() {
        return RequestConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(HttpFloor.CONNECT_TIMEOUT_MS))
                .setResponseTimeout(Timeout.ofMilliseconds(HttpFloor.READ_TIMEOUT_MS))
                .setRedirectsEnabled(false)
                .build();
    }

    /** Classic (blocking) client on a fixed pool of {@code concurrency} threads. */
    static final class Classic implements HttpFloor.Client {
        final CloseableHttpClient client;
        final BlockingClient runner;

        Classic(boolean close) {
            PoolingHttpClientConnectionManager cm = PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(POOL_TOTAL).setMaxConnPerRoute(2)
                    .setDefaultSocketConfig(SocketConfig.custom()
                            .setSoTimeout(Timeout.ofMilliseconds(HttpFloor.READ_TIMEOUT_MS)).build())
                    .build();
            client = HttpClients.custom().setConnectionManager(cm).setDefaultRequestConfig(requestConfig())
                    .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                    .disableAuthCaching().disableContentCompression().useSystemProperties().build();
            runner = new BlockingClient(close, this::get);
        }

        boolean get(String url, boolean close) throws java.io.IOException {
            HttpGet get = new HttpGet(url);
            if (close) {
                get.setHeader("Connection", "close");
            }
            try (CloseableHttpResponse response = client.execute(get)) {
                if (response.getCode() != 200) {
                    EntityUtils.consume(response.getEntity());
                    return false;
                }
                byte[] body = EntityUtils.toByteArray(response.getEntity(), HttpFloor.maxBytes(url));
                return body.length > 0;
            }
        }

        @Override
        public int run(List<String> urls, int concurrency) throws Exception {
            return runner.run(urls, concurrency);
        }

        @Override
        public void close() throws Exception {
            runner.close();
            client.close(CloseMode.IMMEDIATE);
        }
    }

    /** Async client: 2 I/O reactor threads (one per core), HTTP/1.1 only, the prober's limiter. */
    static final class Async implements HttpFloor.Client {
        final CloseableHttpAsyncClient client;
        final boolean close;
        RequestLimiter limiter;

        Async(boolean close) {
            this.close = close;
            PoolingAsyncClientConnectionManager cm = PoolingAsyncClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(POOL_TOTAL).setMaxConnPerRoute(2).build();
            IOReactorConfig io = IOReactorConfig.custom()
                    .setIoThreadCount(Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .setSoTimeout(Timeout.ofMilliseconds(HttpFloor.READ_TIMEOUT_MS))
                    .build();
            client = HttpAsyncClients.custom().setConnectionManager(cm).setIOReactorConfig(io)
                    .setDefaultRequestConfig(requestConfig()).setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                    .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                    .disableAuthCaching().build();
            client.start();
        }

        @Override
        public int run(List<String> urls, int concurrency) throws Exception {
            if (limiter == null) {
                limiter = new RequestLimiter(concurrency);
            }
            return HttpFloor.runLimited(limiter, urls, this::get);
        }

        CompletableFuture<Boolean> get(String url) {
            SimpleRequestBuilder b = SimpleRequestBuilder.get(url);
            if (close) {
                b.setHeader("Connection", "close");
            }
            SimpleHttpRequest request = b.build();
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            client.execute(request, new FutureCallback<SimpleHttpResponse>() {
                @Override
                public void completed(SimpleHttpResponse response) {
                    byte[] body = response.getBodyBytes();
                    done.complete(response.getCode() == 200 && body != null && body.length > 0
                            && body.length <= HttpFloor.maxBytes(url));
                }

                @Override
                public void failed(Exception ex) {
                    done.completeExceptionally(ex);
                }

                @Override
                public void cancelled() {
                    done.cancel(false);
                }
            });
            return done;
        }

        @Override
        public void close() {
            client.close(CloseMode.IMMEDIATE);
        }
    }
}
