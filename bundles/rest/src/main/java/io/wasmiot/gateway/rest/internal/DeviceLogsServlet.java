package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.gateway.api.model.DeviceLogLine;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;
import io.wasmiot.lib.json.JsonMappers;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /device/logs} (docs/contract.md §6, §9): a supervisor that was told the gateway's URL posts each of
 * its log lines here, a form field {@code logData} holding a JSON object. The poster is the listed
 * device whose addresses include the request's peer address; when several listed devices share that
 * address, the line's {@code deviceName} says which. Cheap refusals first: a wrong type ({@code 415}),
 * a body over the REST API's {@code maxBodyBytes} ({@code 413}) or from an address no listed device
 * has ({@code 404}) are refused before the body is read; a device posting faster than its token
 * bucket allows gets {@code 429} with {@code Retry-After}. The line goes to the log book
 * ({@link LogIntake}, which holds the {@code wasmiot.gateway.devicelogs} bounds); nothing else changes.
 */
@Component(service = {Servlet.class, MetricsProvider.class}, configurationPid = RestConfig.PID)
@HttpWhiteboardServletPattern(DeviceLogsServlet.PATH)
@HttpWhiteboardServletName("wasmiot-device-logs")
public class DeviceLogsServlet extends HttpServlet implements MetricsProvider {
    static final String PATH = "/device/logs";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLogsServlet.class);
    private static final String DEVICE_NAME_FIELD = "deviceName";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LogIntake logs;

    private final transient JsonResponses responses;
    private final transient JsonBodies bodies;
    private final transient ObjectMapper mapper = JsonMappers.withOwnTypeCache(new ObjectMapper());
    private final transient DeviceAddresses addresses = new DeviceAddresses(System::nanoTime);
    private final transient RefusalLog refusalLog = new RefusalLog(System::nanoTime);
    private final int maxBodyBytes;
    private final transient AtomicLong accepted = new AtomicLong();
    private final transient AtomicLong refusedRate = new AtomicLong();
    private final transient AtomicLong refusedSize = new AtomicLong();
    private final transient AtomicLong unknownDevice = new AtomicLong();
    private final transient AtomicLong badRequest = new AtomicLong();

    @Activate
    public DeviceLogsServlet(RestConfig config) {
        this(RestSecrets.maxBodyBytes(config, LOG));
    }

    DeviceLogsServlet(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.responses = new JsonResponses(mapper);
        this.bodies = new JsonBodies(maxBodyBytes);
    }

    void setStore(DeviceStore newStore) {
        this.store = newStore;
    }

    void setLogs(LogIntake newLogs) {
        this.logs = newLogs;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        super.service(request, ClosingIfBodyUnread.wrap(request, response));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String peer = request.getRemoteAddr();
        if (!LogForm.isForm(request.getContentType())) {
            refuse(response, badRequest, 415, "Content-Type " + RegisterRequest.shown(LogForm.mediaType(request.getContentType()))
                    + " is not supported: send " + LogForm.URLENCODED + " or " + LogForm.MULTIPART + " with a "
                    + LogForm.FIELD + " field");
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            refuse(response, refusedSize, 413, "request body of " + request.getContentLengthLong()
                    + " bytes is over the limit of " + maxBodyBytes);
            return;
        }
        DeviceStore currentStore = store;
        LogIntake currentLogs = logs;
        if (currentStore == null || currentLogs == null) {
            responses.error(response, 503, currentStore == null
                    ? "device store unavailable (the store bundle is not running)" : "device logs unavailable");
            return;
        }
        List<DeviceAddresses.Listed> candidates;
        try {
            candidates = addresses.at(peer, currentStore);
        } catch (StoreException e) {
            LOG.warn("Device logs: cannot read the devices: {}", e.getMessage());
            responses.error(response, 503, e.getMessage());
            return;
        }
        if (candidates.isEmpty()) {
            if (refusalLog.shouldLog("unknown " + peer)) {
                LOG.info("Device logs from {} refused: no listed device has that address (logged once a minute)", peer);
            }
            refuse(response, unknownDevice, 404, "no listed device has the address " + peer);
            return;
        }
        // One device at that address: its rate is checked before its body is read.
        if (candidates.size() == 1 && overRate(currentLogs, candidates.get(0), response)) {
            return;
        }
        JsonNode line;
        String data;
        try {
            byte[] body = JsonBodies.readBody(request, maxBodyBytes);
            line = bodies.parse(LogForm.logData(request.getContentType(), body));
            if (!line.isObject()) {
                throw new JsonBodies.Refused(400, LogForm.FIELD + " is not a JSON object");
            }
            data = mapper.writeValueAsString(line);
            int maxLineBytes = currentLogs.maxLineBytes();
            if (data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxLineBytes) {
                throw new JsonBodies.Refused(413, "the log line is over the limit of " + maxLineBytes + " bytes");
            }
        } catch (JsonBodies.Refused e) {
            refuse(response, e.status == 413 ? refusedSize : badRequest, e.status, e.getMessage());
            return;
        }
        DeviceAddresses.Listed device = candidates.size() == 1 ? candidates.get(0) : byName(candidates, line);
        if (device == null) {
            refuse(response, unknownDevice, 404, candidates.size() + " listed devices have the address " + peer
                    + " and the line's " + DEVICE_NAME_FIELD + " names none of them");
            return;
        }
        if (candidates.size() > 1 && overRate(currentLogs, device, response)) {
            return;
        }
        currentLogs.append(new DeviceLogLine(device.id(), device.name(), Instant.now(), data));
        accepted.incrementAndGet();
        LOG.debug("Device {} ({}): log line kept", device.name(), device.id());
        responses.send(response, 200, Map.of("message", "log line kept", "deviceId", device.id()));
    }

    /** Among devices sharing an address, the one the line's {@code deviceName} names. */
    private static DeviceAddresses.Listed byName(List<DeviceAddresses.Listed> candidates, JsonNode line) {
        JsonNode name = line.get(DEVICE_NAME_FIELD);
        if (name == null || !name.isTextual()) {
            return null;
        }
        return candidates.stream().filter(device -> device.name().equals(name.textValue())).findFirst().orElse(null);
    }

    /** Whether the device is over its rate; answers {@code 429} if so. */
    private boolean overRate(LogIntake intake, DeviceAddresses.Listed device, HttpServletResponse response)
            throws IOException {
        long retryAfter = intake.admit(device.id());
        if (retryAfter == 0) {
            return false;
        }
        if (refusalLog.shouldLog("rate " + device.id())) {
            LOG.info("Device {} ({}): log lines over its rate; refused with 429 (logged once a minute)", device.name(),
                    device.id());
        }
        response.setHeader("Retry-After", Long.toString(retryAfter));
        refuse(response, refusedRate, 429, "device " + device.name() + " posts log lines faster than allowed; retry in "
                + retryAfter + " s");
        return true;
    }

    private void refuse(HttpServletResponse response, AtomicLong counter, int status, String message) throws IOException {
        counter.incrementAndGet();
        responses.error(response, status, message);
    }

    @Override
    public List<MetricSample> metrics() {
        String name = "wasmiot_device_log_lines_total";
        String help = "Device log lines posted to POST /device/logs, by what became of them";
        return List.of(
                new MetricSample(name, "counter", help, Map.of("result", "accepted"), accepted.get()),
                new MetricSample(name, "counter", help, Map.of("result", "refused_rate"), refusedRate.get()),
                new MetricSample(name, "counter", help, Map.of("result", "refused_size"), refusedSize.get()),
                new MetricSample(name, "counter", help, Map.of("result", "unknown_device"), unknownDevice.get()),
                new MetricSample(name, "counter", help, Map.of("result", "bad_request"), badRequest.get()));
    }
}
