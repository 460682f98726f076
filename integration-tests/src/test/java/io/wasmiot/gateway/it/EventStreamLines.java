package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A client on {@code GET /file/device/events} that reads every line as it comes, for one test. */
final class EventStreamLines {
    private EventStreamLines() {
    }

    /** Connects, waits for the stream's {@code : connected} line, and returns the lines read so far (growing). */
    static List<String> open(int port) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/file/device/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the gateway stopped: the stream ends
            }
        }, "test-event-stream-lines");
        reader.setDaemon(true);
        reader.start();
        Await.until("event stream connected", Duration.ofSeconds(10), () -> lines.contains(": connected"));
        return lines;
    }
}
