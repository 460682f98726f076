package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code GET /file/device/events} with a client that connects and never reads (a raw socket with a
 * tiny receive buffer): another client still receives every event as it happens, the gateway keeps
 * answering, and what the silent client misses is counted in {@code /metrics}.
 */
public class EventStreamBackpressureIT {
    private static final Duration SOON = Duration.ofSeconds(40);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final int LINES = 800;
    private static GatewayProcess gateway;
    private static SimulatorProcess devices;

    @BeforeClass
    public static void start() {
        gateway = GatewayProcess.start("event-stream-it", GatewayProcess.Config.fast()
                .set("wasmiot.gateway.devicelogs", "linesPerSecond", 10000)
                .set("wasmiot.gateway.devicelogs", "burst", 100000));
        devices = SimulatorProcess.start(gateway.dir, 1, "--name-prefix", "stream-");
        Await.until("stream-0001 healthy", SOON, () -> gateway.healthyDevice("stream-0001"));
    }

    @AfterClass
    public static void stop() {
        if (devices != null) {
            devices.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void aClientThatNeverReadsDelaysNoOtherClient() throws Exception {
        List<String> reading = EventStreamLines.open(gateway.port);
        try (Socket silent = new Socket()) {
            silent.setReceiveBufferSize(1024);
            silent.connect(new InetSocketAddress("127.0.0.1", gateway.port), 5000);
            silent.getOutputStream().write(("GET /file/device/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            silent.getOutputStream().flush();
            Await.until("both clients connected", SOON, () -> "2".equals(gateway.metric("wasmiot_event_stream_clients")));

            // about 3 KB a line, 2.4 MB in all: far more than the silent client's socket buffers hold
            String padding = "p".repeat(3000);
            for (int i = 1; i <= LINES; i++) {
                String line = "{\"message\":\"line " + i + " " + padding + "\",\"deviceName\":\"stream-0001\"}";
                HttpResponse<String> kept = gateway.http.post("/device/logs", FORM,
                        "logData=" + URLEncoder.encode(line, StandardCharsets.UTF_8));
                assertEquals(kept.body(), 200, kept.statusCode());
            }
            // Blocked behind the silent client, the reading one would wait for the server's idle timeout (30 s).
            Await.until("every line on the reading client's stream", Duration.ofSeconds(15),
                    () -> reading.stream().filter(text -> text.equals("event: LOG")).count() == LINES);
            assertTrue(reading.stream().anyMatch(text -> text.contains("\"line " + LINES + " ")));
            double skipped = Double.parseDouble(gateway.metric("wasmiot_event_stream_log_events_skipped_total"));
            assertTrue("the silent client's backlog stopped taking log lines: " + skipped, skipped > 0);
            assertEquals(200, gateway.http.get("/health").statusCode());
        }
    }
}
