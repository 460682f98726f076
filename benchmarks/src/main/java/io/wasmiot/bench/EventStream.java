package io.wasmiot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** GET /file/device/events: the harness's receive time (System.nanoTime) of each device's first ADDED. */
final class EventStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, Long> addedNanos = new ConcurrentHashMap<>();
    private volatile Stream<String> lines;
    private final Thread thread;

    EventStream(String base) throws InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/file/device/events"))
                .header("Accept", "text/event-stream").build();
        thread = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
                lines = r.body();
                connected.countDown();
                lines.forEach(line -> {
                    if (line.startsWith("data:") && line.contains("\"ADDED\"")) {
                        long now = System.nanoTime();
                        try {
                            JsonNode n = JSON.readTree(line.substring(5).trim());
                            addedNanos.putIfAbsent(n.path("name").asText(), now);
                        } catch (Exception e) {
                            // not an event we read
                        }
                    }
                });
            } catch (Exception e) {
                // closed
            } finally {
                connected.countDown();
            }
        }, "sse-reader");
        thread.setDaemon(true);
        thread.start();
        connected.await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
        thread.interrupt();
    }
}
