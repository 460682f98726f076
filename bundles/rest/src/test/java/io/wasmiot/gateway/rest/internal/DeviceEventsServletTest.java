package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;
import org.osgi.service.event.Event;

import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.metrics.MetricSample;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The event stream's per-client backlog: a client that takes nothing costs the others nothing. */
public class DeviceEventsServletTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final DeviceEventsServlet servlet = new DeviceEventsServlet(clock::get);

    private static final String DROPPED = "wasmiot_event_stream_clients_dropped_total";
    private static final Map<String, String> FULL = Map.of("reason", "backlog_full");
    private static final Map<String, String> STALLED = Map.of("reason", "stalled");

    @After
    public void stop() {
        servlet.deactivate();
    }

    /** A connection as the container gives it: takes bytes only while {@code ready}. */
    private static final class Connection extends ServletOutputStream {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final AtomicBoolean completed = new AtomicBoolean();
        volatile boolean ready;
        volatile WriteListener listener;

        Connection(boolean ready) {
            this.ready = ready;
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            this.listener = writeListener;
            if (ready) {
                try {
                    writeListener.onWritePossible();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        @Override
        public synchronized void write(int b) {
            if (!ready) {
                throw new IllegalStateException("written while not ready");
            }
            received.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            if (!ready) {
                throw new IllegalStateException("written while not ready");
            }
            received.write(bytes, offset, length);
        }

        synchronized String text() {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    private Connection connect(boolean ready) throws Exception {
        Connection connection = new Connection(ready);
        AsyncContext context = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, m, args) -> {
                    if (m.getName().equals("complete")) {
                        connection.completed.set(true);
                    }
                    return null;
                });
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "startAsync" -> context;
                    case "getRemoteAddr" -> "127.0.0.1";
                    default -> null;
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getOutputStream" -> connection;
                    default -> null;
                });
        servlet.doGet(request, response);
        return connection;
    }

    private static Event event(String type, String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DeviceEvents.DEVICE_ID, "id-" + name);
        properties.put(DeviceEvents.DEVICE_NAME, name);
        properties.put(DeviceEvents.TIMESTAMP, 1_000L);
        return new Event(DeviceEvents.TOPIC_PREFIX + type, properties);
    }

    private static Event logLine(String name, String message) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DeviceEvents.DEVICE_ID, "id-" + name);
        properties.put(DeviceEvents.DEVICE_NAME, name);
        properties.put(DeviceEvents.LOG_DATA, "{\"message\":\"" + message + "\"}");
        return new Event(DeviceEvents.LOG_TOPIC, properties);
    }

    private double metric(String name) {
        return metric(name, Map.of());
    }

    private double metric(String name, Map<String, String> labels) {
        return servlet.metrics().stream().filter(sample -> sample.name().equals(name) && sample.labels().equals(labels))
                .mapToDouble(MetricSample::value).findFirst().orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    public void aClientThatTakesNothingIsDisconnectedAtItsBoundWhileAReadingClientGetsEveryEvent() throws Exception {
        Connection stalled = connect(false);
        Connection reading = connect(true);
        assertEquals(2, metric("wasmiot_event_stream_clients"), 0);
        int events = 10_000; // well over a megabyte of events: more than a client's backlog holds
        for (int i = 0; i < events; i++) {
            servlet.handleEvent(event("ADDED", String.format("dev-%05d", i)));
        }
        await("every event written to the reading client",
                () -> count(reading.text(), "event: ADDED\n") == events);
        assertTrue(reading.text().startsWith(": connected\n\n"));
        assertTrue(reading.text().contains("\"name\":\"dev-09999\""));
        await("the stalled client closed", stalled.completed::get);
        assertEquals(1, metric(DROPPED, FULL), 0);
        assertEquals(0, metric(DROPPED, STALLED), 0);
        assertEquals(1, metric("wasmiot_event_stream_clients"), 0);
        assertEquals("nothing was written to a connection that was not ready", "", stalled.text());
        assertFalse(reading.completed.get());
    }

    @Test
    public void logLinesAreSkippedForAClientFarBehindWhichKeepsItsLifecycleEvents() throws Exception {
        Connection stalled = connect(false);
        Connection reading = connect(true);
        String message = "x".repeat(1000);
        int lines = 500; // about 600 KB: past the quarter of the bound where log lines are skipped
        for (int i = 0; i < lines; i++) {
            servlet.handleEvent(logLine("dev-1", message));
        }
        servlet.handleEvent(event("REMOVED", "dev-1"));
        await("every line and the removal written to the reading client",
                () -> count(reading.text(), "event: LOG\n") == lines && reading.text().contains("event: REMOVED\n"));
        assertTrue(metric("wasmiot_event_stream_log_events_skipped_total") > 0);
        assertEquals(0, metric(DROPPED, FULL), 0);
        assertFalse(stalled.completed.get());

        // the stalled client starts reading: it gets what was kept for it, the removal included
        stalled.ready = true;
        stalled.listener.onWritePossible();
        await("the stalled client's backlog written", () -> stalled.text().contains("event: REMOVED\n"));
        int kept = count(stalled.text(), "event: LOG\n");
        assertTrue("some lines kept, not all: " + kept, kept > 0 && kept < lines);
        assertEquals(lines - kept, metric("wasmiot_event_stream_log_events_skipped_total"), 0);
    }

    @Test
    public void aClientWhoseConnectionTakesNothingForAMinuteWhileEventsWaitIsDisconnected() throws Exception {
        Connection stalled = connect(false);
        Connection reading = connect(true);
        Connection idle = connect(true);
        servlet.handleEvent(event("ADDED", "dev-1"));
        await("the event written to the reading clients",
                () -> reading.text().contains("event: ADDED\n") && idle.text().contains("event: ADDED\n"));

        clock.addAndGet(TimeUnit.SECONDS.toNanos(DeviceEventsServlet.STALL_SECONDS - 1));
        servlet.dropStalled();
        assertFalse("not yet a minute", stalled.completed.get());

        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        servlet.dropStalled();
        assertTrue(stalled.completed.get());
        assertFalse("a client with nothing waiting is never stalled", idle.completed.get());
        assertFalse(reading.completed.get());
        assertEquals(1, metric(DROPPED, STALLED), 0);
        assertEquals(2, metric("wasmiot_event_stream_clients"), 0);
    }
}
