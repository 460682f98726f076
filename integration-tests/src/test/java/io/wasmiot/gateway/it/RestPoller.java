package io.wasmiot.gateway.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client polling {@code GET /file/device} every 50 ms. Every answer is classified: {@code OK} (a
 * list holding every expected device with its expected {@code _id}, none twice, and no more unknown
 * devices than allowed), {@code UNAVAILABLE} (a {@code 503} with a JSON error body, or connection
 * refused), or {@code WRONG} (anything else: a 404, an empty or short list, a changed {@code _id},
 * a duplicate, a 503 without the JSON error, a timeout).
 */
final class RestPoller implements AutoCloseable {
    enum Kind { OK, UNAVAILABLE, WRONG }

    record Sample(long nanos, Kind kind, String detail) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final String prefix;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(1,
            task -> new Thread(task, "test-rest-poller"));
    private volatile Map<String, String> expected = Map.of();
    private volatile int extraAllowed;

    RestPoller(String base, String prefix) {
        this.uri = URI.create(base + "/file/device");
        this.prefix = prefix;
    }

    /** From now on every answer must list these devices (name to _id) and at most {@code extra} others. */
    void expect(Map<String, String> devices, int extra) {
        this.expected = Map.copyOf(devices);
        this.extraAllowed = extra;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::poll, 0, 50, TimeUnit.MILLISECONDS);
    }

    List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    private void poll() {
        Map<String, String> devices = expected;
        int extra = extraAllowed;
        long now = System.nanoTime();
        Kind kind = classify(devices, extra);
        if (kind != null) { // null: interrupted by close()
            samples.add(new Sample(now, kind, lastDetail));
        }
    }

    /** What the last answer was, for the report of a wrong one (poller thread only). */
    private String lastDetail;

    private Kind classify(Map<String, String> devices, int extra) {
        lastDetail = null;
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            lastDetail = "connection refused";
            return Kind.UNAVAILABLE;
        } catch (IOException e) {
            lastDetail = e.toString();
            return Kind.WRONG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        lastDetail = response.statusCode() + " " + abbreviated(response.body());
        try {
            if (response.statusCode() == 503) {
                JsonNode error = mapper.readTree(response.body()).get("error");
                return error != null && error.isTextual() ? Kind.UNAVAILABLE : Kind.WRONG;
            }
            if (response.statusCode() != 200) {
                return Kind.WRONG;
            }
            Map<String, String> listed = new HashMap<>();
            for (JsonNode device : mapper.readTree(response.body())) {
                String name = device.get("name").asText();
                if (name.startsWith(prefix) && listed.put(name, device.get("_id").asText()) != null) {
                    lastDetail = "200 listing " + name + " twice";
                    return Kind.WRONG;
                }
            }
            for (Map.Entry<String, String> device : devices.entrySet()) {
                String id = listed.remove(device.getKey());
                if (!device.getValue().equals(id)) {
                    lastDetail = "200 listing " + device.getKey() + (id == null ? " missing" : " with _id " + id
                            + " instead of " + device.getValue()) + " (" + (listed.size() + devices.size())
                            + " devices listed at most)";
                    return Kind.WRONG;
                }
            }
            if (listed.size() > extra) {
                lastDetail = "200 listing unexpected devices " + listed.keySet();
                return Kind.WRONG;
            }
            return Kind.OK;
        } catch (IOException | RuntimeException e) {
            lastDetail = lastDetail + " (" + e + ")";
            return Kind.WRONG;
        }
    }

    private static String abbreviated(String body) {
        return body.length() > 120 ? body.substring(0, 120) + "..." : body;
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
