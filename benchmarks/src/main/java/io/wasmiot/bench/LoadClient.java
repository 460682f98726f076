package io.wasmiot.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The REST load client, run as its OWN JVM by the harness (so its CPU and GC are not the
 * harness's): {@code threads} closed-loop clients each send {@code GET url} one after another on a
 * kept-alive HTTP/1.1 connection, for {@code warmup} seconds unrecorded, then {@code seconds}
 * recorded. Prints one line: {@code RESULT requests=.. errors=.. seconds=.. rps=.. p50=.. p99=..
 * max=.. bytes=..} (latencies in seconds, bytes = mean body size).
 *
 * <pre>java -cp 'benchmarks/target/lib/*:benchmarks/target/wasmiot-benchmarks-*.jar' io.wasmiot.bench.LoadClient URL THREADS WARMUP SECONDS</pre>
 */
public final class LoadClient {
    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LoadClient URL THREADS WARMUP_SECONDS SECONDS");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        int threads = Integer.parseInt(args[1]);
        long warmupNanos = (long) (Double.parseDouble(args[2]) * 1e9);
        long measureNanos = (long) (Double.parseDouble(args[3]) * 1e9);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        AtomicBoolean recording = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] lat = new long[1 << 20];
            int[] n = new int[1];
            perThread.add(lat);
            counts.add(n);
            // one client per thread: one connection per thread, as wrk does
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Thread w = new Thread(() -> {
                while (!stop.get()) {
                    long a = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        long d = System.nanoTime() - a;
                        if (!recording.get()) {
                            continue;
                        }
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (n[0] < lat.length) {
                            lat[n[0]++] = d;
                            bytes.addAndGet(r.body().length);
                        }
                    } catch (Exception e) {
                        if (recording.get()) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "load-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        workers.forEach(Thread::start);
        Thread.sleep(warmupNanos / 1_000_000);
        recording.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(measureNanos / 1_000_000);
        recording.set(false);
        long elapsed = System.nanoTime() - t0;
        stop.set(true);
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(perThread.get(t), 0, all, k, counts.get(t)[0]);
            k += counts.get(t)[0];
        }
        java.util.Arrays.sort(all);
        double seconds = elapsed / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "RESULT requests=%d errors=%d seconds=%.3f rps=%.2f p50=%.6f p99=%.6f max=%.6f bytes=%d",
                total, errors.get(), seconds, total / seconds, rank(all, 50), rank(all, 99),
                total == 0 ? Double.NaN : all[total - 1] / 1e9, total == 0 ? 0 : bytes.get() / total));
        System.out.flush();
        System.exit(0);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in seconds. */
    static double rank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, r - 1)] / 1e9;
    }
}
