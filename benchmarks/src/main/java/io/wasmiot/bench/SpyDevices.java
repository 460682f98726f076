package io.wasmiot.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Devices in the harness process that record when each health check ARRIVES (System.nanoTime):
 * the gateway's {@code health.timeOfQuery} is when its core issued a check, which can be earlier
 * than when the prober sends it (its concurrency limit queues checks). They answer the
 * description and health bodies copied from a simulated device, with
 * {@code Custom-Orchestrator-Set: true}, and are listed through {@code POST .../register} (no mDNS).
 */
final class SpyDevices implements AutoCloseable {
    final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "spy-device");
        t.setDaemon(true);
        return t;
    });
    final List<String> names = new ArrayList<>();

    SpyDevices(int n, String prefix, byte[] description, byte[] health) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < n; i++) {
            String name = String.format("%s%03d", prefix, i);
            List<Long> times = new CopyOnWriteArrayList<>();
            arrivals.put(name, times);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                if (path.equals("/health")) {
                    times.add(System.nanoTime());
                    body = health;
                } else if (path.equals("/.well-known/wasmiot-device-description")) {
                    body = description;
                }
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Custom-Orchestrator-Set", "true");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(pool);
            server.start();
            servers.add(server);
            names.add(name);
            int port = server.getAddress().getPort();
            String reg = String.format("{\"name\":\"%s\",\"type\":\"webthing\",\"port\":%d,\"properties\":{\"path\":\"/\",\"tls\":\"0\","
                    + "\"address\":\"127.0.0.1\"},\"addresses\":[\"127.0.0.1\"],\"host\":\"127.0.0.1\",\"protocol\":\"http\"}", name, port);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(GatewayProcess.BASE + "/file/device/discovery/register"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(reg)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("register of " + name + " answered " + r.statusCode() + ": " + r.body());
            }
        }
    }

    /** Forgets them in the gateway (DELETE by name) and stops their servers. */
    void forget(GatewayProcess gw) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String name : names) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(GatewayProcess.BASE + "/file/device/" + name)).DELETE()
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                // the report says how many were measured; a leftover device does not change the figures
            }
        }
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
        pool.shutdownNow();
    }
}
