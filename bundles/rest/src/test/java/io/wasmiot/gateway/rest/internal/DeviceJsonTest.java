package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.StatusChange;

public class DeviceJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID = "66a1f0c2e4b0a1b2c3d4e5f6";
    private static final String DESCRIPTION = "{\"platform\":{\"memory\":{\"bytes\":16000000000},"
            + "\"cpu\":{\"humanReadableName\":\"Cortex-A72\",\"clockSpeed\":{\"Hz\":1.2e9}}},"
            + "\"supervisorInterfaces\":[\"print\",\"takeImage\"],\"unknownField\":{\"kept\":true}}";
    private static final String REPORT = "{\"cpuUsage\":3.1,\"memoryUsage\":0.42}";
    private final DeviceJson json = new DeviceJson(MAPPER.getFactory());

    private static Device device() {
        return new Device(ID, "my-device", new Communication(List.of("192.168.1.23", "fe80:0:0:0:0:0:0:1%2"), 5000),
                DESCRIPTION, DeviceStatus.ACTIVE, 0, 17,
                List.of(new StatusChange(DeviceStatus.ACTIVE, Instant.parse("2026-11-25T10:00:00Z"), null),
                        new StatusChange(DeviceStatus.INACTIVE, Instant.parse("2026-11-25T09:00:00.5Z"), "5 health checks failed")),
                new Health(REPORT, Instant.parse("2026-11-25T10:00:15.123456789Z")),
                false, "mdns", Instant.parse("2026-11-25T10:00:15.123Z"));
    }

    private String text(Device device) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeOne(device, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private JsonNode one(Device device) throws IOException {
        return MAPPER.readTree(text(device));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    public void theDocumentHasTheReferenceShape() throws IOException {
        JsonNode doc = one(device());
        assertEquals(List.of("_id", "name", "communication", "description", "status", "failedHealthCheckCount",
                "okHealthCheckCount", "statusLog", "health", "source", "lastSeen"), fieldNames(doc));
        assertEquals(ID, doc.get("_id").asText());
        assertEquals("my-device", doc.get("name").asText());
        assertEquals(MAPPER.readTree("{\"addresses\":[\"192.168.1.23\",\"fe80:0:0:0:0:0:0:1%2\"],\"port\":5000}"),
                doc.get("communication"));
        assertEquals("active", doc.get("status").asText());
        assertEquals(0, doc.get("failedHealthCheckCount").intValue());
        assertEquals(17, doc.get("okHealthCheckCount").intValue());
        assertEquals("mdns", doc.get("source").asText());
        assertEquals("2026-11-25T10:00:15.123Z", doc.get("lastSeen").asText());
    }

    @Test
    public void theDescriptionIsWrittenVerbatim() throws IOException {
        String text = text(device());
        assertTrue(text, text.contains("\"description\":" + DESCRIPTION + ","));
        assertEquals(MAPPER.readTree(DESCRIPTION), MAPPER.readTree(text).get("description"));
    }

    @Test
    public void statusLogEntriesCarryAReasonOnlyWhenSet() throws IOException {
        JsonNode log = one(device()).get("statusLog");
        assertEquals(2, log.size());
        assertEquals(MAPPER.readTree("{\"status\":\"active\",\"time\":\"2026-11-25T10:00:00.000Z\"}"), log.get(0));
        assertEquals(MAPPER.readTree("{\"status\":\"inactive\",\"time\":\"2026-11-25T09:00:00.500Z\","
                + "\"reason\":\"5 health checks failed\"}"), log.get(1));
    }

    @Test
    public void healthHasTheReportVerbatimAndTheTimeOfQuery() throws IOException {
        String text = text(device());
        assertTrue(text, text.contains("\"health\":{\"report\":" + REPORT + ",\"timeOfQuery\":\"2026-11-25T10:00:15.123Z\"}"));
    }

    @Test
    public void aFailedHealthQueryHasReportNull() throws IOException {
        Device failed = device().withHealthCheck(new Health(null, Instant.parse("2026-11-25T10:01:00Z")), 1, 0);
        JsonNode health = one(failed).get("health");
        assertEquals(List.of("report", "timeOfQuery"), fieldNames(health));
        assertTrue(health.get("report").isNull());
        assertEquals("2026-11-25T10:01:00.000Z", health.get("timeOfQuery").asText());
    }

    @Test
    public void noHealthBeforeTheFirstQuery() throws IOException {
        Device fresh = Device.introduced("new", new Communication(List.of("10.0.0.1"), 5000), "{}",
                "register", Instant.parse("2026-11-25T10:00:00Z")).withId(ID);
        JsonNode doc = one(fresh);
        assertFalse(doc.has("health"));
        assertEquals("register", doc.get("source").asText());
        assertEquals("introduced", doc.get("statusLog").get(0).get("reason").asText());
    }

    @Test
    public void blacklistedAppearsOnlyOnceSet() throws IOException {
        assertFalse(one(device()).has("blacklisted"));
        JsonNode doc = one(device().withBlacklisted(true));
        assertTrue(doc.get("blacklisted").isBoolean());
        assertTrue(doc.get("blacklisted").booleanValue());
    }

    @Test
    public void tlsAppearsOnlyForHttpsDevices() throws IOException {
        assertFalse(one(device()).get("communication").has("tls"));
        Device https = device().withCommunication(new Communication(List.of("10.0.0.1"), 8443, true, "/"));
        assertEquals(MAPPER.readTree("{\"addresses\":[\"10.0.0.1\"],\"port\":8443,\"tls\":true}"),
                one(https).get("communication"));
    }

    @Test
    public void timesAreIsoUtcWithMilliseconds() {
        assertEquals("2026-11-25T10:00:00.000Z", DeviceJson.time(Instant.parse("2026-11-25T10:00:00Z")));
        assertEquals("truncated, as Date.toISOString", "2026-11-25T10:00:15.123Z",
                DeviceJson.time(Instant.parse("2026-11-25T10:00:15.123999Z")));
        assertEquals("1970-01-01T00:00:00.000Z", DeviceJson.time(Instant.EPOCH));
        assertEquals("2026-11-25T23:59:59.999Z", DeviceJson.time(Instant.parse("2026-11-25T23:59:59.999Z")));
    }

    @Test
    public void hostileNamesStayValidJson() throws IOException {
        String name = "quote\" back\\slash \u001b[2J </script> \u2028 日本";
        Device device = device();
        Device odd = new Device(ID, name, device.communication(), device.description(), device.status(), 0, 0,
                List.of(), null, false, "mdns", device.lastSeen());
        JsonNode doc = one(odd);
        assertEquals(name, doc.get("name").asText());
        assertEquals(0, doc.get("statusLog").size());
    }

    @Test
    public void aListIsAnArrayInOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeList(List.of(device(), device().withId("0123456789abcdef01234567")), out);
        JsonNode list = MAPPER.readTree(out.toByteArray());
        assertTrue(list.isArray());
        assertEquals(2, list.size());
        assertEquals(ID, list.get(0).get("_id").asText());
        assertEquals("0123456789abcdef01234567", list.get(1).get("_id").asText());

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        json.writeList(List.of(), empty);
        assertEquals("[]", empty.toString(StandardCharsets.UTF_8));
    }
}
