package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.Device;
import io.wasmiot.gateway.api.DeviceStore;
import io.wasmiot.gateway.api.StoreException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /file/device}: the device list and single devices. Translates HTTP to store calls and
 * back; decides nothing. Answers {@code 503} while the store is away.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/file/device", "/file/device/*"})
@HttpWhiteboardServletName("wasmiot-devices")
public class DeviceServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceServlet.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceStore store;

    private final transient DeviceJson deviceJson;
    private final transient JsonResponses responses;

    @Activate
    public DeviceServlet() {
        ObjectMapper mapper = new ObjectMapper();
        this.deviceJson = new DeviceJson(mapper.getFactory());
        this.responses = new JsonResponses(mapper);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DeviceStore current = storeOrUnavailable(response);
        if (current == null) {
            return;
        }
        String key = deviceKey(request);
        try {
            if (key == null) {
                response.setContentType(JsonResponses.JSON);
                deviceJson.writeList(current.findAll(), response.getOutputStream());
                return;
            }
            Optional<Device> device = current.findByIdOrName(key);
            if (device.isEmpty()) {
                responses.error(response, 404, "no device with _id or name '" + key + "'");
                return;
            }
            response.setContentType(JsonResponses.JSON);
            deviceJson.writeOne(device.get(), response.getOutputStream());
        } catch (StoreException e) {
            storeFailed(response, e);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DeviceStore current = storeOrUnavailable(response);
        if (current == null) {
            return;
        }
        String key = deviceKey(request);
        try {
            if (key == null) {
                int deleted = current.deleteAll();
                LOG.info("All devices deleted on request from {}: {} forgotten", request.getRemoteAddr(), deleted);
                responses.send(response, 200, Map.of("deletedCount", deleted));
                return;
            }
            Optional<Device> device = current.findByIdOrName(key);
            if (device.isEmpty() || !current.delete(device.get().id())) {
                responses.error(response, 404, "no device with _id or name '" + key + "'");
                return;
            }
            LOG.info("Device {} ({}) deleted on request from {}", device.get().name(), device.get().id(),
                    request.getRemoteAddr());
            response.setStatus(204);
        } catch (StoreException e) {
            storeFailed(response, e);
        }
    }

    /** The {id or name} path segment, or {@code null} for the collection itself. */
    private static String deviceKey(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        if (pathInfo == null || pathInfo.equals("/")) {
            return null;
        }
        String key = pathInfo.substring(1);
        return key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    }

    private DeviceStore storeOrUnavailable(HttpServletResponse response) throws IOException {
        DeviceStore current = store;
        if (current == null) {
            responses.error(response, 503, "device store unavailable (the store bundle is not running)");
        }
        return current;
    }

    private void storeFailed(HttpServletResponse response, StoreException e) throws IOException {
        LOG.warn("Device store failed: {}", e.getMessage());
        if (!response.isCommitted()) {
            response.reset();
            responses.error(response, 503, e.getMessage());
        }
    }
}
