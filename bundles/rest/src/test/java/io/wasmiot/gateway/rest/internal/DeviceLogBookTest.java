package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.model.DeviceLogLine;

public class DeviceLogBookTest {
    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String C = "cccccccccccccccccccccccc";

    private static DeviceLogSettings settings(int linesPerDevice, long maxTotalBytes, int maxDevices) {
        return new DeviceLogSettings(linesPerDevice, 4096, maxTotalBytes, maxDevices, 10, 50);
    }

    private static DeviceLogLine line(String id, int n) {
        return new DeviceLogLine(id, "dev-" + id.charAt(0), Instant.ofEpochSecond(1_800_000_000L + n), "{\"n\":" + n + "}");
    }

    private static List<String> data(List<DeviceLogLine> lines) {
        return lines.stream().map(DeviceLogLine::data).toList();
    }

    private static double metric(DeviceLogBook book, String name) {
        return book.metrics().stream().filter(s -> s.name().equals(name)).mapToDouble(MetricSample::value).findFirst()
                .orElseThrow();
    }

    @Test
    public void theLastLinesOfEachDeviceOldestFirst() {
        DeviceLogBook book = new DeviceLogBook(settings(3, 1 << 20, 10));
        for (int n = 1; n <= 5; n++) {
            book.append(line(A, n));
        }
        book.append(line(B, 1));
        assertEquals(List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}"), data(book.recent(A)));
        assertEquals(List.of("{\"n\":1}"), data(book.recent(B)));
        assertEquals(List.of(), book.recent(C));
        assertEquals(4.0, metric(book, "wasmiot_device_log_lines_kept"), 0);
        assertEquals(2.0, metric(book, "wasmiot_device_log_devices"), 0);
        assertEquals("lines past a device's own bound are not evictions", 0.0,
                metric(book, "wasmiot_device_log_lines_evicted_total"), 0);
    }

    @Test
    public void overTheByteBoundTheDeviceThatPostedLeastRecentlyLosesItsOldestLinesFirst() {
        long perLine = DeviceLogBook.cost(line(A, 1));
        DeviceLogBook book = new DeviceLogBook(settings(100, 4 * perLine, 10));
        book.append(line(A, 1));
        book.append(line(A, 2));
        book.append(line(B, 1));
        book.append(line(A, 3)); // A is now the most recent writer, B the least recent
        book.append(line(C, 1)); // fifth line: over the bound
        assertEquals("B posted least recently: its line went", List.of(), book.recent(B));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), data(book.recent(A)));
        book.append(line(C, 2));
        assertEquals("then A's oldest", List.of("{\"n\":2}", "{\"n\":3}"), data(book.recent(A)));
        assertEquals(2.0, metric(book, "wasmiot_device_log_lines_evicted_total"), 0);
        assertTrue(metric(book, "wasmiot_device_log_bytes_kept") <= 4 * perLine);
    }

    @Test
    public void overTheDeviceBoundTheDeviceThatPostedLeastRecentlyGoesWhole() {
        DeviceLogBook book = new DeviceLogBook(settings(10, 1 << 20, 2));
        book.append(line(A, 1));
        book.append(line(A, 2));
        book.append(line(B, 1));
        book.append(line(C, 1));
        assertEquals(List.of(), book.recent(A));
        assertEquals(1, book.recent(B).size());
        assertEquals(1, book.recent(C).size());
        assertEquals(2.0, metric(book, "wasmiot_device_log_devices"), 0);
    }

    @Test
    public void aForgottenDevicesLinesGoWithIt() {
        DeviceLogBook book = new DeviceLogBook(settings(10, 1 << 20, 10));
        book.append(line(A, 1));
        book.append(line(B, 1));
        book.handleEvent(new Event(DeviceEvents.topic(DeviceEventType.REMOVED), Map.of(DeviceEvents.DEVICE_ID, A)));
        assertEquals(List.of(), book.recent(A));
        assertEquals(1, book.recent(B).size());
        assertEquals(1.0, metric(book, "wasmiot_device_log_lines_kept"), 0);
    }

    @Test
    public void eachLineKeptIsPostedAsALogEvent() {
        List<Event> posted = new CopyOnWriteArrayList<>();
        DeviceLogBook book = new DeviceLogBook(settings(10, 1 << 20, 10));
        book.setEventAdmin((EventAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EventAdmin.class}, (proxy, m, args) -> {
                    posted.add((Event) args[0]);
                    return null;
                }));
        book.append(line(A, 7));
        assertEquals(1, posted.size());
        Event event = posted.get(0);
        assertEquals(DeviceEvents.LOG_TOPIC, event.getTopic());
        assertEquals(A, event.getProperty(DeviceEvents.DEVICE_ID));
        assertEquals("dev-a", event.getProperty(DeviceEvents.DEVICE_NAME));
        assertEquals("{\"n\":7}", event.getProperty(DeviceEvents.LOG_DATA));
        assertEquals((1_800_000_000L + 7) * 1000, event.getProperty(DeviceEvents.TIMESTAMP));
    }
}
