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

/** A blocking GET per task on a fixed pool of {@code concurrency} threads. */
final class BlockingClient implements Client {
    final boolean close;
    final BlockingGet get;
    ExecutorService pool;

    BlockingClient(boolean close, BlockingGet get) {
        this.close = close;
        this.get = get;
    }

    @Override
    public int run(List<String> urls, int concurrency) throws Exception {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(concurrency, named("worker"));
        }
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(urls.size());
        for (String url : urls) {
            pool.execute(() -> {
                try {
                    if (!get.get(url, close)) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    if (failures.incrementAndGet() <= 3) {
                        System.err.println(url + ": " + e);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        return failures.get();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** java.net.HttpURLConnection: no proxy, connect 2 s, read 5 s, body read up to the limit. */
    static boolean urlConnection(String url, boolean close) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        if (close) {
            c.setRequestProperty("Connection", "close");
        }
        int status = c.getResponseCode();
        if (status != 200) {
            c.disconnect();
            return false;
        }
        try (InputStream in = c.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes(url) + 1);
            return body.length > 0 && body.length <= maxBytes(url);
        }
    }

    /**
     * The floor for a Java client on blocking sockets: connect, write a fixed request, read to
     * EOF (the server closes after the answer), check the status line. No header parsing beyond that.
     */
    static boolean rawSocket(String url, boolean close) throws IOException {
        if (!close) {
            throw new IllegalArgumentException("raw-socket reads to EOF: --close true only");
        }
        int colon = url.indexOf(':', 7);
        int slash = url.indexOf('/', colon);
        int port = Integer.parseInt(url.substring(colon + 1, slash));
        String request = "GET " + url.substring(slash) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream(512);
            byte[] buf = new byte[2048];
            for (int r; (r = in.read(buf)) >= 0; ) {
                answer.write(buf, 0, r);
                if (answer.size() > maxBytes(url) + 8192) {
                    return false;
                }
            }
            byte[] a = answer.toByteArray();
            return a.length > 12 && a[9] == '2' && a[10] == '0' && a[11] == '0';
        }
    }
}
