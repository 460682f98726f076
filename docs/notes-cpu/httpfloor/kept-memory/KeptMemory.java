import java.io.InputStream;
import java.net.*;
import java.net.http.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
/** Heap held by N idle kept-alive device connections: JDK HttpClient vs HttpURLConnection. */
public class KeptMemory {
    static long usedAfterGc() throws Exception {
        for (int i = 0; i < 3; i++) { System.gc(); Thread.sleep(200); }
        Runtime r = Runtime.getRuntime(); return r.totalMemory() - r.freeMemory();
    }
    public static void main(String[] a) throws Exception {
        String client = a[0]; int n = Integer.parseInt(a[1]);
        List<String> ports = Files.readAllLines(Path.of(a[2])).subList(0, n);
        Object keep = null;
        if (client.equals("jdk")) { // warm the classes first on 50 ports not counted
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY).build();
            keep = c;
            get(c, ports.get(0)); long before = usedAfterGc();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (String p : ports.subList(1, n)) all.add(c.sendAsync(req(p), HttpResponse.BodyHandlers.ofByteArray()));
            for (CompletableFuture<?> f : all) f.get(10, TimeUnit.SECONDS);
            report(client, n - 1, before, usedAfterGc());
        } else {
            getUrl(ports.get(0)); long before = usedAfterGc();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<Future<?>> all = new ArrayList<>();
            for (String p : ports.subList(1, n)) all.add(pool.submit(() -> { getUrl(p); return null; }));
            for (Future<?> f : all) f.get(10, TimeUnit.SECONDS);
            pool.shutdown(); pool.awaitTermination(5, TimeUnit.SECONDS);
            report(client, n - 1, before, usedAfterGc());
        }
        System.out.println("open sockets: " + Files.list(Path.of("/proc/self/fd")).filter(f -> { try { return Files.readSymbolicLink(f).toString().startsWith("socket:"); } catch (Exception e) { return false; } }).count());
        Objects.requireNonNull(keep == null ? "" : keep);
    }
    static HttpRequest req(String port) { return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build(); }
    static void get(HttpClient c, String port) throws Exception { c.send(req(port), HttpResponse.BodyHandlers.ofByteArray()); }
    static void getUrl(String port) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/health").openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(2000); c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) { in.readAllBytes(); }
    }
    static void report(String client, int n, long before, long after) {
        System.out.printf("%s: %d idle kept connections: heap +%.1f MiB, %.1f KiB each%n", client, n, (after - before) / 1048576.0, (after - before) / 1024.0 / n);
    }
}
