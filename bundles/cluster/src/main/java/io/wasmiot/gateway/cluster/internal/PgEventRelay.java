package io.wasmiot.gateway.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.event.propertytypes.EventTopics;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.lib.json.JsonMappers;
import io.wasmiot.lib.settings.BoundedValues;

/**
 * Device events across gateways sharing one PostgreSQL database: events decided here are sent
 * with NOTIFY, events other gateways sent are reposted here to EventAdmin with their origin, so
 * every gateway's event stream shows every gateway's events. Active only when the store is on
 * PostgreSQL: {@link ClusterSwitch} enables it when the store's pool is published there (and its
 * reference targets that pool). One thread and one connection taken from the store's pool for as
 * long as the relay runs (LISTEN needs a session of its own: the connection is not shared while
 * held, and is handed back with UNLISTEN) do both; NOTIFY is not durable, so events sent while the
 * connection is down are lost, which a live stream may accept (the device list is the truth).
 */
// Disabled by default: ClusterSwitch enables it when the store publishes its pool on PostgreSQL.
@Component(service = EventHandler.class, enabled = false, configurationPolicy = ConfigurationPolicy.IGNORE,
        immediate = true) // LISTEN from the start, not from the first local event EventAdmin delivers
@EventTopics(DeviceEvents.TOPIC_ALL)
public class PgEventRelay implements EventHandler {
    static final String CHANNEL = "wasmiot_device_events";
    /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7900;
    private static final int MAX_TEXT = 512;
    private static final int QUEUE = 10_000;
    private static final int POLL_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(PgEventRelay.class);

    private final ObjectMapper mapper = JsonMappers.withOwnTypeCache(new ObjectMapper());
    private final BlockingQueue<String> outgoing = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final String gatewayId;
    private final EventAdmin eventAdmin;
    private final DataSource pool;
    private final Thread thread;
    private volatile boolean running = true;

    @Activate
    public PgEventRelay(@Reference(name = "storePool", service = DataSource.class, target = StoreDataSource.POSTGRESQL)
                        Map.Entry<Map<String, Object>, DataSource> pool,
                        @Reference EventAdmin eventAdmin) {
        this(pool.getValue(), StoreDataSource.gatewayId(pool.getKey()), eventAdmin);
    }

    PgEventRelay(DataSource pool, String gatewayId, EventAdmin eventAdmin) {
        this.pool = pool;
        this.gatewayId = gatewayId;
        this.eventAdmin = eventAdmin;
        this.thread = new Thread(this::run, "wasmiot-event-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void stop() {
        running = false;
        thread.interrupt();
        try {
            // the loop polls every POLL_MILLIS and each statement has the socket timeout
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Event relay: its thread did not stop within 5 s");
        }
    }

    /** Events decided on this gateway go out; events relayed from others never go back (no loops). */
    @Override
    public void handleEvent(Event event) {
        Object origin = event.getProperty(DeviceEvents.ORIGIN);
        if (origin != null && !gatewayId.equals(origin)) {
            return;
        }
        String payload = payload(event);
        if (payload == null) {
            return;
        }
        if (!outgoing.offer(payload)) {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                LOG.warn("Event relay: {} event(s) not sent to other gateways: more than {} waiting", count, QUEUE);
            }
        }
    }

    String payload(Event event) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : event.getPropertyNames()) {
            Object value = event.getProperty(name);
            if (!EventConstants.EVENT_TOPIC.equals(name)
                    && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
                properties.put(name, value);
            }
        }
        properties.put(DeviceEvents.ORIGIN, gatewayId);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("topic", event.getTopic());
        message.put("properties", properties);
        try {
            String json = mapper.writeValueAsString(message);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
                return json;
            }
            // Long text (a device-supplied reason, say) is cut rather than the event lost.
            properties.replaceAll((name, value) -> value instanceof String text && text.length() > MAX_TEXT
                    ? text.substring(0, MAX_TEXT) + "..." : value);
            json = mapper.writeValueAsString(message);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
                return json;
            }
            LOG.warn("Event relay: {} event too large for NOTIFY even shortened; not sent", event.getTopic());
            return null;
        } catch (JsonProcessingException e) {
            LOG.warn("Event relay: cannot write {} event: {}", event.getTopic(), e.getMessage());
            return null;
        }
    }

    /** The event another gateway sent, or {@code null} for one of ours or one that cannot be read. */
    Event event(String payload) {
        try {
            JsonNode message = mapper.readTree(payload);
            String topic = message.path("topic").asText("");
            JsonNode properties = message.path("properties");
            String origin = properties.path(DeviceEvents.ORIGIN).asText("");
            if (!topic.startsWith(DeviceEvents.TOPIC_PREFIX) || origin.isEmpty() || gatewayId.equals(origin)) {
                return null;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            properties.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isIntegralNumber()) {
                    values.put(field.getKey(), value.asLong());
                } else if (value.isNumber()) {
                    values.put(field.getKey(), value.asDouble());
                } else if (value.isBoolean()) {
                    values.put(field.getKey(), value.asBoolean());
                } else if (value.isTextual()) {
                    values.put(field.getKey(), value.asText());
                }
            });
            return new Event(topic, values);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("Event relay: unreadable notification ignored: {}", e.getMessage());
            return null;
        }
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                LOG.info("Event relay: gateway {} sends and receives device events on PostgreSQL channel {}",
                        gatewayId, CHANNEL);
                backoff = 500;
                try {
                    relay(connection);
                } finally {
                    unlisten(connection);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("Event relay: PostgreSQL connection lost or refused ({}); events from other gateways are "
                        + "missed until it is back; retrying in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        LOG.info("Event relay stopped");
    }

    /** The connection goes back to the store's pool: without LISTEN, or notifications would pile up in it. */
    private static void unlisten(Connection connection) {
        try (Statement unlisten = connection.createStatement()) {
            unlisten.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.debug("Event relay: UNLISTEN failed ({}); the pool drops a broken connection", e.getMessage());
        }
    }

    private void relay(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        int ownBackend = pg.getBackendPID();
        List<String> batch = new ArrayList<>();
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            while (running) {
                outgoing.drainTo(batch, 100);
                for (String payload : batch) {
                    notify.setString(1, CHANNEL);
                    notify.setString(2, payload);
                    notify.execute();
                }
                batch.clear();
                PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                if (notifications == null) {
                    continue;
                }
                for (PGNotification notification : notifications) {
                    if (notification.getPID() == ownBackend || !CHANNEL.equals(notification.getName())) {
                        continue;
                    }
                    Event event = event(notification.getParameter());
                    if (event != null) {
                        LOG.debug("Event relay: {} from gateway {}", event.getTopic(),
                                event.getProperty(DeviceEvents.ORIGIN));
                        eventAdmin.postEvent(event);
                    }
                }
            }
        }
    }
}
