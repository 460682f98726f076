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

/**
 * Client-side CPU cost of one HTTP GET on a new TCP connection, for several Java HTTP clients.
 * The server (the WasmIoT simulator, or any server on the listed ports) runs in another process.
 *
 * <pre>
 * java ... floor.HttpFloor --client jdk|jdk-direct|urlconn|apache-classic|apache-async|raw-socket
 *      --ports ports.txt --warmup 400 --rounds 3 --n 1000 --concurrency 64 [--close true|false]
 *      [--label text] [--out results.tsv]
 * </pre>
 *
 * Request i of a phase goes to the next unused port of the list (warm-up first, then each round),
 * so within one process every request is to a different host:port and therefore a new connection.
 * Even requests GET the description, odd ones /health (the prober's two GETs per device).
 * With --close true (default) every request carries {@code Connection: close}: the server closes
 * after answering and each client closes its socket within the round, so the connection's whole
 * life (connect, request, response, close) is counted for every client alike.
 */
public final class HttpFloor {
    static final String DESCRIPTION = "/.well-known/wasmiot-device-description";
    static final String HEALTH = "/health";
    static final int MAX_DESCRIPTION = 262144; // the prober's defaults (ProbeSettings.defaults)
    static final int MAX_HEALTH = 65536;
    static final int CONNECT_TIMEOUT_MS = 2000;
    static final int READ_TIMEOUT_MS = 5000;

    interface Client extends AutoCloseable {
        /** Runs all requests with at most {@code concurrency} in flight; returns the failures. */
        int run(List<String> urls, int concurrency) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String clientName = opt.getOrDefault("client", "jdk");
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "400"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        int n = Integer.parseInt(opt.getOrDefault("n", "1000"));
        int concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "64"));
        boolean close = Boolean.parseBoolean(opt.getOrDefault("close", "true"));
        String label = opt.getOrDefault("label", "-");
        String out = opt.get("out");
        List<Integer> ports = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(opt.getOrDefault("ports", "ports.txt")))) {
            if (!line.isBlank()) {
                ports.add(Integer.parseInt(line.strip()));
            }
        }
        if (ports.size() < warmup + rounds * n) {
            throw new IllegalArgumentException("need " + (warmup + rounds * n) + " ports, have " + ports.size());
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < warmup + rounds * n; i++) {
            all.add("http://127.0.0.1:" + ports.get(i) + (i % 2 == 0 ? DESCRIPTION : HEALTH));
        }

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Client client = create(clientName, close)) {
            long w0 = System.nanoTime();
            int warmFailures = client.run(all.subList(0, warmup), concurrency);
            System.err.printf("%s %s warm-up: %d requests, %d failed, %.0f ms%n", clientName, label, warmup,
                    warmFailures, (System.nanoTime() - w0) / 1e6);
            for (int r = 0; r < rounds; r++) {
                List<String> urls = all.subList(warmup + r * n, warmup + (r + 1) * n);
                System.gc(); // start every round with an empty young generation
                Thread.sleep(300);
                Map<String, long[]> before = taskCpu();
                long[] us0 = userSys();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                int failures = client.run(urls, concurrency);
                long wall = System.nanoTime() - t0;
                long cpu = os.getProcessCpuTime() - cpu0;
                long[] us1 = userSys();
                Map<String, long[]> after = taskCpu();
                Map<String, Long> byGroup = new TreeMap<>();
                long accounted = 0;
                for (Map.Entry<String, long[]> e : after.entrySet()) {
                    long[] b = before.get(e.getKey());
                    long d = e.getValue()[0] - (b == null ? 0 : b[0]);
                    accounted += d;
                    byGroup.merge(group(e.getKey().substring(e.getKey().indexOf(' ') + 1)), d, Long::sum);
                }
                byGroup.put("zz-threads-ended", cpu - accounted); // threads gone by the end (and /proc rounding)
                StringBuilder groups = new StringBuilder();
                // whole process, user and kernel mode (/proc/self/stat, clock ticks: 10 ms = 0.010 ms/req at n=1000)
                groups.append(String.format("~user=%.3f ~sys=%.3f", (us1[0] - us0[0]) / 1e6 / n, (us1[1] - us0[1]) / 1e6 / n));
                for (Map.Entry<String, Long> g : byGroup.entrySet()) {
                    groups.append(groups.length() == 0 ? "" : " ").append(g.getKey()).append('=')
                            .append(String.format("%.3f", g.getValue() / 1e6 / n));
                }
                String line = String.format("%s\t%s\t%b\t%d\t%d\t%.3f\t%.0f\t%d\t%d\t%s", clientName, label, close, r + 1, n,
                        cpu / 1e6 / n, wall / 1e6, failures, Thread.activeCount(), groups);
                System.out.println(line);
                if (out != null) {
                    Files.writeString(Path.of(out), line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        }
        System.exit(0); // the JDK 17 HttpClient cannot be closed; end its selector thread too
    }

    /** Thread-name prefixes (the kernel's comm, at most 15 characters) and the group each is counted in. */
    private static final String[][] THREAD_GROUPS = {
        {"C1 Compiler", "jit"}, {"C2 Compiler", "jit"}, {"Sweeper", "jit"},
        {"VM Thread", "vm+gc"}, {"GC ", "vm+gc"}, {"VM Periodic", "vm+gc"},
        {"HttpClient", "jdk-selector"}, {"ForkJoinPool", "fj-common"}, {"wasmiot-probe", "probe-pool"},
        {"worker", "workers"}, {"httpclient-dis", "apache-io"},
    };

    /** Groups the kernel's thread names. */
    static String group(String name) {
        if (name.equals("java")) {
            return "main";
        }
        for (String[] prefixAndGroup : THREAD_GROUPS) {
            if (name.startsWith(prefixAndGroup[0])) {
                return prefixAndGroup[1];
            }
        }
        return "other";
    }

    /**
     * The asynchronous clients' round: every URL through the prober's limiter, the first three
     * failures printed; returns how many failed.
     */
    static int runLimited(RequestLimiter limiter, List<String> urls,
            java.util.function.Function<String, CompletableFuture<Boolean>> get) {
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<Boolean>> all = new ArrayList<>(urls.size());
        for (String url : urls) {
            all.add(limiter.submit(() -> get.apply(url)).handle((ok, error) -> {
                if ((error != null || !ok) && failures.incrementAndGet() <= 3) {
                    System.err.println(url + ": " + (error != null ? error : "bad answer"));
                }
                return ok;
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
        return failures.get();
    }

    /** {user ns, kernel ns} of the whole process from /proc/self/stat (USER_HZ = 100 assumed). */
    static long[] userSys() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the comm: state(3) ppid ... utime is field 14, stime 15 -> indexes 11, 12 here
        return new long[] {Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L};
    }

    /** "tid comm" -> {ns on CPU} for every live thread, from /proc/self/task/N/schedstat (ns precise). */
    static Map<String, long[]> taskCpu() throws IOException {
        Map<String, long[]> cpu = new HashMap<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String sched = Files.readString(task.resolve("schedstat")).strip();
                    long ns = Long.parseLong(sched.substring(0, sched.indexOf(' ')));
                    cpu.put(task.getFileName() + " " + comm, new long[] {ns});
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return cpu;
    }

    static Client create(String name, boolean close) {
        switch (name) {
            case "jdk":
                return new JdkProberClient(false, close);
            case "jdk-direct":
                return new JdkProberClient(true, close);
            case "urlconn":
                return new BlockingClient(close, BlockingClient::urlConnection);
            case "raw-socket":
                return new BlockingClient(close, BlockingClient::rawSocket);
            case "apache-classic":
                return new ApacheClients.Classic(close);
            case "apache-async":
                return new ApacheClients.Async(close);
            default:
                throw new IllegalArgumentException("unknown client " + name);
        }
    }

    static int maxBytes(String url) {
        return url.endsWith(HEALTH) ? MAX_HEALTH : MAX_DESCRIPTION;
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }


    interface BlockingGet {
        boolean get(String url, boolean close) throws IOException;
    }



}
