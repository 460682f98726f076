package io.wasmiot.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client on {@code GET /file/device/events} for a whole test: it reconnects (after 100 ms) whenever
 * the stream ends or is refused, as a real client does, and keeps every event it read.
 */
final class EventStreamListener implements AutoCloseable {
    record Received(String type, String name, String id, String reason) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    EventStreamListener(String base) {
        this.uri = URI.create(base + "/file/device/events");
        this.thread = new Thread(this::run, "test-event-stream");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until the stream is open (the first connection answered 200). */
    void awaitConnected(Duration timeout) {
        Await.until("the event stream connected", timeout, () -> connections.get() > 0);
    }

    List<Received> events() {
        return new ArrayList<>(events);
    }

    int connections() {
        return connections.get();
    }

    private void run() {
        while (running) {
            try {
                HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    if (response.statusCode() == 200) {
                        connections.incrementAndGet();
                        read(in);
                    }
                }
            } catch (IOException e) {
                // refused or cut: reconnect
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(BufferedReader in) throws IOException {
        String type = null;
        for (String line; running && (line = in.readLine()) != null; ) {
            if (line.startsWith("event: ")) {
                type = line.substring("event: ".length());
            } else if (line.startsWith("data: ") && type != null) {
                JsonNode data = mapper.readTree(line.substring("data: ".length()));
                events.add(new Received(type, text(data, "name"), text(data, "deviceId"), text(data, "reason")));
                type = null;
            }
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null ? null : value.asText();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
