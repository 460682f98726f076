package io.wasmiot.gateway.rest.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventHandler;
import org.osgi.service.event.propertytypes.EventTopics;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.DeviceLogs;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.gateway.api.model.DeviceLogLine;

/**
 * The last log lines of each device ({@link DeviceLogs}), in memory: at most {@code linesPerDevice}
 * a device, {@code maxTotalBytes} in all and {@code maxDevices} devices; over either of the last two,
 * the oldest lines of the devices that posted least recently go first. Each line kept is posted on
 * {@link DeviceEvents#LOG_TOPIC} (the event stream shows it); a forgotten device's lines go with it.
 * It also holds each device's posting rate ({@link LogIntake#admit}). A configuration change starts
 * an empty book.
 */
@Component(service = {DeviceLogs.class, LogIntake.class, EventHandler.class, MetricsProvider.class},
        configurationPid = DeviceLogsConfig.PID)
@Designate(ocd = DeviceLogsConfig.class)
@EventTopics(DeviceEvents.TOPIC_PREFIX + "REMOVED")
public class DeviceLogBook implements LogIntake, EventHandler, MetricsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLogBook.class);
    /** What a kept line costs besides its text (the record, its strings, the deque slot), roughly. */
    private static final long LINE_OVERHEAD_BYTES = 160;

    private final DeviceLogSettings settings;
    private final RateBuckets rates;
    /** By device {@code _id}, the device written to least recently first. Guarded by {@code this}. */
    private final LinkedHashMap<String, ArrayDeque<DeviceLogLine>> byDevice = new LinkedHashMap<>();
    private long totalBytes;
    private long lineCount;
    private long evicted;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    @Activate
    public DeviceLogBook(DeviceLogsConfig config) {
        this(DeviceLogSettings.from(config));
    }

    DeviceLogBook(DeviceLogSettings settings) {
        this(settings, System::nanoTime);
    }

    DeviceLogBook(DeviceLogSettings settings, java.util.function.LongSupplier nanoClock) {
        this.settings = settings;
        this.rates = new RateBuckets(settings.linesPerSecond(), settings.burst(), settings.maxDevices(), nanoClock);
        LOG.info("Device logs: the last {} lines of each device kept, {} KiB at most in all, {} devices at most; "
                        + "lines of {} bytes at most, {} lines/s per device (burst {})", settings.linesPerDevice(),
                settings.maxTotalBytes() / 1024, settings.maxDevices(), settings.maxLineBytes(), settings.linesPerSecond(),
                settings.burst());
    }

    @Override
    public long admit(String deviceId) {
        return rates.take(deviceId);
    }

    @Override
    public int maxLineBytes() {
        return settings.maxLineBytes();
    }

    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    static long cost(DeviceLogLine line) {
        return 2L * (line.data().length() + line.deviceName().length() + line.deviceId().length()) + LINE_OVERHEAD_BYTES;
    }

    @Override
    public void append(DeviceLogLine line) {
        synchronized (this) {
            ArrayDeque<DeviceLogLine> lines = byDevice.remove(line.deviceId());
            if (lines == null) {
                lines = new ArrayDeque<>();
            }
            byDevice.put(line.deviceId(), lines); // now the most recent
            lines.addLast(line);
            totalBytes += cost(line);
            lineCount++;
            if (lines.size() > settings.linesPerDevice()) {
                drop(lines.removeFirst());
            }
            while (!byDevice.isEmpty()
                    && (totalBytes > settings.maxTotalBytes() || byDevice.size() > settings.maxDevices())) {
                evictOldest();
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(DeviceEvents.DEVICE_ID, line.deviceId());
            properties.put(DeviceEvents.DEVICE_NAME, line.deviceName());
            properties.put(DeviceEvents.TIMESTAMP, line.received().toEpochMilli());
            properties.put(DeviceEvents.LOG_DATA, line.data());
            admin.postEvent(new Event(DeviceEvents.LOG_TOPIC, properties));
        }
    }

    /**
     * Over {@code maxDevices}, drops the device written to least recently; else that device's oldest
     * line. The device just written to is the most recent one: it loses a line only when it is alone.
     */
    private void evictOldest() {
        Map.Entry<String, ArrayDeque<DeviceLogLine>> eldest = byDevice.entrySet().iterator().next();
        ArrayDeque<DeviceLogLine> lines = eldest.getValue();
        if (byDevice.size() > settings.maxDevices()) {
            lines.forEach(this::drop);
            evicted += lines.size();
            byDevice.remove(eldest.getKey());
            return;
        }
        drop(lines.removeFirst());
        evicted++;
        if (lines.isEmpty()) {
            byDevice.remove(eldest.getKey());
        }
    }

    private void drop(DeviceLogLine line) {
        totalBytes -= cost(line);
        lineCount--;
    }

    @Override
    public synchronized List<DeviceLogLine> recent(String deviceId) {
        ArrayDeque<DeviceLogLine> lines = byDevice.get(deviceId); // insertion order: reading does not reorder
        return lines == null ? List.of() : List.copyOf(lines);
    }

    /** A forgotten device's lines go with it. */
    @Override
    public void handleEvent(Event event) {
        if (!DeviceEvents.topic(DeviceEventType.REMOVED).equals(event.getTopic())) {
            return;
        }
        Object id = event.getProperty(DeviceEvents.DEVICE_ID);
        if (id != null) {
            synchronized (this) {
                ArrayDeque<DeviceLogLine> lines = byDevice.remove(id.toString());
                if (lines != null) {
                    lines.forEach(this::drop);
                }
            }
        }
    }

    @Override
    public List<MetricSample> metrics() {
        long lines;
        long bytes;
        long devices;
        long dropped;
        synchronized (this) {
            lines = lineCount;
            bytes = totalBytes;
            devices = byDevice.size();
            dropped = evicted;
        }
        List<MetricSample> samples = new ArrayList<>();
        samples.add(MetricSample.gauge("wasmiot_device_log_lines_kept", "Device log lines kept in memory", lines));
        samples.add(MetricSample.gauge("wasmiot_device_log_bytes_kept", "Estimated memory of the kept device log lines",
                bytes));
        samples.add(MetricSample.gauge("wasmiot_device_log_devices", "Devices with log lines kept", devices));
        samples.add(MetricSample.counter("wasmiot_device_log_lines_evicted_total",
                "Device log lines dropped early to stay within maxTotalBytes or maxDevices", dropped));
        return samples;
    }
}
