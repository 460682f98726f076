package io.wasmiot.gateway.cluster.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.postgresql.ds.PGSimpleDataSource;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;

/** The relay's message format, without a server (its connection attempts to a closed port just back off). */
public class PgEventRelayTest {
    private final List<Event> posted = new ArrayList<>();
    private PgEventRelay relay;
    private EventAdmin admin;

    @Before
    public void start() {
        admin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
        relay = new PgEventRelay(closedPort(), "gw-a", admin);
    }

    /** A data source of a server nobody runs: each connection attempt is refused at once. */
    static DataSource closedPort() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://127.0.0.1:1/none");
        dataSource.setConnectTimeout(1);
        return dataSource;
    }

    @After
    public void stop() {
        relay.stop();
    }

    private static Event local(String reason) {
        return new Event(DeviceEvents.topic(DeviceEventType.REMOVED), Map.of(DeviceEvents.DEVICE_ID,
                "0123456789abcdef01234567", DeviceEvents.DEVICE_NAME, "d1", DeviceEvents.REASON, reason,
                DeviceEvents.TIMESTAMP, 1_700_000_000_123L));
    }

    @Test
    public void anotherGatewaysEventIsReadBackWithItsOriginAndTypes() {
        PgEventRelay other = new PgEventRelay(closedPort(), "gw-b", admin);
        String payload;
        try {
            payload = other.payload(local("goodbye"));
        } finally {
            other.stop();
        }
        Event event = relay.event(payload);
        assertEquals(DeviceEvents.topic(DeviceEventType.REMOVED), event.getTopic());
        assertEquals("gw-b", event.getProperty(DeviceEvents.ORIGIN));
        assertEquals(1_700_000_000_123L, event.getProperty(DeviceEvents.TIMESTAMP));
        assertEquals("goodbye", event.getProperty(DeviceEvents.REASON));
        assertEquals("0123456789abcdef01234567", event.getProperty(DeviceEvents.DEVICE_ID));
    }

    @Test
    public void ownAndForeignTopicsAreNotReposted() {
        assertNull("own notification", relay.event(relay.payload(local("x"))));
        assertNull(relay.event("{\"topic\":\"other/topic\",\"properties\":{\"origin\":\"gw-b\"}}"));
        assertNull(relay.event("not json"));
    }

    @Test
    public void longTextIsCutToFitNotify() {
        String payload = relay.payload(local("r".repeat(20_000)));
        assertTrue(payload.getBytes(StandardCharsets.UTF_8).length <= PgEventRelay.MAX_PAYLOAD_BYTES);
        assertTrue(payload.contains("rrr..."));
    }
}
