package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.event.propertytypes.EventTopics;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.lib.json.JsonMappers;
import io.wasmiot.lib.threads.NamedThreadFactory;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /file/device/events}: device events as server-sent events. EventAdmin hands events in;
 * each client has its own backlog, bounded in bytes, and one writer thread writes to every client
 * without ever blocking on one ({@link EventStreamClient}): a client that stops reading delays no one.
 * Device log lines come as {@code LOG} events; a client already a quarter of its bound behind misses
 * them (devices' chatter never costs a client the lifecycle events); a client whose backlog is full,
 * or whose connection took nothing for {@link #STALL_SECONDS} while events waited, is disconnected
 * (it reconnects and reads the list again). Each is counted in {@code /metrics}.
 */
@Component(service = {Servlet.class, EventHandler.class, MetricsProvider.class})
@HttpWhiteboardServletPattern("/file/device/events")
@HttpWhiteboardServletName("wasmiot-device-events")
@HttpWhiteboardServletAsyncSupported
@EventTopics({DeviceEvents.TOPIC_ALL, DeviceEvents.LOG_TOPIC})
public class DeviceEventsServlet extends HttpServlet implements EventHandler, MetricsProvider {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEventsServlet.class);
    static final int MAX_BACKLOG_BYTES = 1 << 20;
    static final int LOG_BACKLOG_BYTES = MAX_BACKLOG_BYTES / 4;
    static final int MAX_CLIENTS = 100;
    static final String LOG_TYPE = "LOG";
    private static final long KEEPALIVE_SECONDS = 15;
    /** A client whose connection has taken nothing for this long while events wait is disconnected. */
    static final long STALL_SECONDS = 60;
    private static final byte[] CONNECTED = ": connected\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);

    private final transient ObjectMapper mapper = JsonMappers.withOwnTypeCache(new ObjectMapper());
    private final transient JsonResponses responses = new JsonResponses(mapper);
    private final transient Set<EventStreamClient> clients = ConcurrentHashMap.newKeySet();
    private final transient ScheduledThreadPoolExecutor writer;
    private final transient AtomicLong droppedFull = new AtomicLong();
    private final transient AtomicLong droppedStalled = new AtomicLong();
    private final transient LongSupplier nanoTime;
    private final transient AtomicLong logEventsSkipped = new AtomicLong();

    @Activate
    public DeviceEventsServlet() {
        this(System::nanoTime);
    }

    DeviceEventsServlet(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.writer = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-rest-sse"));
        writer.scheduleWithFixedDelay(() -> {
            dropStalled();
            broadcast(KEEPALIVE, false);
        }, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        writer.shutdownNow();
        for (EventStreamClient client : clients) {
            client.close();
        }
        clients.clear();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (clients.size() >= MAX_CLIENTS) {
            LOG.warn("Event stream refused for {}: {} clients already connected", request.getRemoteAddr(), MAX_CLIENTS);
            responses.error(response, 503, "too many event stream clients (" + MAX_CLIENTS + ")");
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext context = request.startAsync();
        context.setTimeout(0);
        ServletOutputStream out = response.getOutputStream();
        EventStreamClient client = new EventStreamClient(context, out, MAX_BACKLOG_BYTES, LOG_BACKLOG_BYTES,
                nanoTime.getAsLong());
        String peer = request.getRemoteAddr();
        client.offer(CONNECTED, false, nanoTime.getAsLong());
        clients.add(client);
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                queueDrain(client);
            }

            @Override
            public void onError(Throwable failure) {
                gone(client, failure);
            }
        });
        LOG.debug("Event stream opened for {}", peer);
    }

    @Override
    public void handleEvent(Event event) {
        if (DeviceEvents.LOG_TOPIC.equals(event.getTopic())) {
            logLine(event);
            return;
        }
        String topic = event.getTopic();
        String type = topic.substring(topic.lastIndexOf('/') + 1);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        for (String key : new String[] {DeviceEvents.DEVICE_ID, DeviceEvents.DEVICE_NAME, DeviceEvents.STATUS,
                DeviceEvents.PREVIOUS_STATUS, DeviceEvents.REASON}) {
            Object value = event.getProperty(key);
            if (value != null) {
                data.put(key, value.toString());
            }
        }
        Object timestamp = event.getProperty(DeviceEvents.TIMESTAMP);
        data.put("time", DeviceJson.time(timestamp instanceof Long millis ? Instant.ofEpochMilli(millis) : Instant.now()));
        try {
            broadcast("event: " + type + "\ndata: " + mapper.writeValueAsString(data) + "\n\n", false);
        } catch (JsonProcessingException e) {
            LOG.warn("Cannot write event {}: {}", type, e.getMessage());
        }
    }

    /** {@code event: LOG}, {@code data: {"type":"LOG","deviceId","name","time","logData":{...}}}. */
    private void logLine(Event event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", LOG_TYPE);
        for (String key : new String[] {DeviceEvents.DEVICE_ID, DeviceEvents.DEVICE_NAME}) {
            Object value = event.getProperty(key);
            if (value != null) {
                data.put(key, value.toString());
            }
        }
        Object timestamp = event.getProperty(DeviceEvents.TIMESTAMP);
        data.put("time", DeviceJson.time(timestamp instanceof Long millis ? Instant.ofEpochMilli(millis) : Instant.now()));
        try {
            // the line is a JSON object the REST intake validated: sent as an object, not as text
            data.put(DeviceEvents.LOG_DATA, mapper.readTree(String.valueOf(event.getProperty(DeviceEvents.LOG_DATA))));
            broadcast("event: " + LOG_TYPE + "\ndata: " + mapper.writeValueAsString(data) + "\n\n", true);
        } catch (JsonProcessingException e) {
            LOG.warn("Cannot write a LOG event: {}", e.getMessage());
        }
    }

    private void broadcast(String message, boolean skippable) {
        broadcast(message.getBytes(StandardCharsets.UTF_8), skippable);
    }

    /** @param skippable a log line: not queued for a client already {@link #LOG_BACKLOG_BYTES} behind */
    private void broadcast(byte[] message, boolean skippable) {
        long now = nanoTime.getAsLong();
        for (EventStreamClient client : clients) {
            switch (client.offer(message, skippable, now)) {
                case QUEUED -> queueDrain(client);
                case SKIPPED -> logEventsSkipped.incrementAndGet();
                case FULL -> {
                    if (clients.remove(client)) {
                        droppedFull.incrementAndGet();
                        LOG.warn("Event stream client dropped: {} bytes of events unsent (it does not read)",
                                client.backlogBytes());
                        execute(client::close);
                    }
                }
            }
        }
    }

    private void queueDrain(EventStreamClient client) {
        if (client.markDrainQueued()) {
            execute(() -> drain(client));
        }
    }

    private void execute(Runnable task) {
        try {
            writer.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping: deactivate closes every client
        }
    }

    private void drain(EventStreamClient client) {
        if (!clients.contains(client)) {
            return;
        }
        try {
            client.drain(nanoTime.getAsLong());
        } catch (IOException | IllegalStateException e) {
            gone(client, e);
        }
    }

    /** Disconnects the clients whose connections took nothing for {@link #STALL_SECONDS} while events waited. */
    void dropStalled() {
        long now = nanoTime.getAsLong();
        for (EventStreamClient client : clients) {
            if (client.stalled(now, TimeUnit.SECONDS.toNanos(STALL_SECONDS)) && clients.remove(client)) {
                droppedStalled.incrementAndGet();
                LOG.warn("Event stream client dropped: it took nothing for {} s ({} bytes of events unsent)",
                        STALL_SECONDS, client.backlogBytes());
                client.close();
            }
        }
    }

    private void gone(EventStreamClient client, Throwable cause) {
        if (clients.remove(client)) {
            LOG.debug("Event stream client gone: {}", cause.toString());
            client.close();
        }
    }

    private static final String DROPPED = "wasmiot_event_stream_clients_dropped_total";
    private static final String DROPPED_HELP = "Event stream clients disconnected for not reading: their backlog "
            + "of unsent events full, or their connection taking nothing for " + STALL_SECONDS + " s";

    @Override
    public List<MetricSample> metrics() {
        return List.of(
                new MetricSample("wasmiot_event_stream_clients", "gauge",
                        "Clients connected to GET /file/device/events", Map.of(), clients.size()),
                new MetricSample(DROPPED, "counter", DROPPED_HELP, Map.of("reason", "backlog_full"), droppedFull.get()),
                new MetricSample(DROPPED, "counter", DROPPED_HELP, Map.of("reason", "stalled"), droppedStalled.get()),
                new MetricSample("wasmiot_event_stream_log_events_skipped_total", "counter",
                        "LOG events not sent to a client that was already far behind", Map.of(),
                        logEventsSkipped.get()));
    }
}
