package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

import io.wasmiot.gateway.api.DeviceEvents;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /file/device/events}: device events as server-sent events. EventAdmin hands events
 * in; one writer thread sends them, so a slow client never holds up EventAdmin. A client whose
 * backlog overflows is dropped (it reconnects and reads the list again). Device log lines come as
 * {@code LOG} events; a client more than {@link #LOG_BACKLOG} events behind misses them rather than
 * being dropped for them (devices' chatter never costs a client the lifecycle events).
 */
@Component(service = {Servlet.class, EventHandler.class})
@HttpWhiteboardServletPattern("/file/device/events")
@HttpWhiteboardServletName("wasmiot-device-events")
@HttpWhiteboardServletAsyncSupported
@EventTopics({DeviceEvents.TOPIC_ALL, DeviceEvents.LOG_TOPIC})
public class DeviceEventsServlet extends HttpServlet implements EventHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEventsServlet.class);
    private static final int BACKLOG = 1024;
    static final int LOG_BACKLOG = BACKLOG / 4;
    static final String LOG_TYPE = "LOG";
    private static final long KEEPALIVE_SECONDS = 15;

    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final transient ScheduledThreadPoolExecutor writer;

    private static final class Client {
        final AsyncContext context;
        final BlockingQueue<String> backlog = new ArrayBlockingQueue<>(BACKLOG);

        Client(AsyncContext context) {
            this.context = context;
        }
    }

    @Activate
    public DeviceEventsServlet() {
        this.writer = new ScheduledThreadPoolExecutor(1, task -> new Thread(task, "wasmiot-rest-sse"));
        writer.scheduleWithFixedDelay(() -> broadcast(": keepalive\n\n"), KEEPALIVE_SECONDS, KEEPALIVE_SECONDS,
                TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        writer.shutdownNow();
        for (Client client : clients) {
            close(client);
        }
        clients.clear();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext context = request.startAsync();
        context.setTimeout(0);
        Client client = new Client(context);
        clients.add(client);
        client.backlog.offer(": connected\n\n");
        writer.execute(() -> drain(client));
        LOG.debug("Event stream opened for {}", request.getRemoteAddr());
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
            broadcast("event: " + type + "\ndata: " + mapper.writeValueAsString(data) + "\n\n");
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

    private void broadcast(String message) {
        broadcast(message, false);
    }

    /** @param skippable a log line: not sent to a client already {@link #LOG_BACKLOG} events behind */
    private void broadcast(String message, boolean skippable) {
        for (Client client : clients) {
            if (skippable && client.backlog.size() >= LOG_BACKLOG) {
                continue;
            }
            if (!client.backlog.offer(message)) {
                LOG.warn("Event stream client dropped: more than {} events behind", BACKLOG);
                clients.remove(client);
                writer.execute(() -> close(client));
                continue;
            }
            try {
                writer.execute(() -> drain(client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // stopping
            }
        }
    }

    private void drain(Client client) {
        if (!clients.contains(client)) {
            return;
        }
        try {
            ServletOutputStream out = client.context.getResponse().getOutputStream();
            boolean wrote = false;
            for (String message; (message = client.backlog.poll()) != null; ) {
                out.write(message.getBytes(StandardCharsets.UTF_8));
                wrote = true;
            }
            if (wrote) {
                out.flush();
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Event stream client gone: {}", e.toString());
            clients.remove(client);
            close(client);
        }
    }

    private static void close(Client client) {
        try {
            client.context.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
    }
}
