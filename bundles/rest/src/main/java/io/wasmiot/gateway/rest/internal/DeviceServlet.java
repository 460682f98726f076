package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.DiscoveryControl;
import io.wasmiot.gateway.api.access.ApiTokenCheck;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;
import io.wasmiot.lib.json.JsonMappers;
import io.wasmiot.lib.threads.NamedThreadFactory;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /file/device} (docs/contract.md §6): reads come from the store, changes go to the discovery core,
 * register calls become sightings. Translates HTTP and decides nothing; answers {@code 503} while
 * the service it needs is away (during a bundle update, say).
 */
@Component(service = Servlet.class, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
@HttpWhiteboardServletPattern({"/file/device", "/file/device/*", "/discovery/register"})
@HttpWhiteboardServletName("wasmiot-devices")
public class DeviceServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceServlet.class);
    private static final String OPERATOR = "deleted by operator";
    private static final String DEVICE = "device";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DiscoveryControl control;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RegisterSource registrations;

    private final transient DeviceJson deviceJson;
    private final transient JsonResponses responses;
    private final transient JsonBodies bodies;
    private final transient RegisterRequest registerRequests;
    private final transient ThreadPoolExecutor resolver;
    private final transient NetworkList registerAllowed;
    private final transient ApiTokenCheck apiToken;
    private final int maxBodyBytes;

    /** Every resource of {@code /file/device}: the README's REST table, in code. */
    private final transient Routes routes = new Routes()
            .get("/file/device", this::list)
            .get("/file/device/{device}", this::one)
            .delete("/file/device", operator(this::forgetAll))
            .delete("/file/device/{device}", operator(this::forgetOne))
            .post("/file/device/discovery/register", (request, response, path) -> register(request, response))
            .post("/discovery/register", (request, response, path) -> register(request, response))
            .post("/file/device/discovery/reset", operator(this::rescan))
            .post("/file/device/{device}/blacklist",
                    operator((request, response, path) -> setBlacklisted(response, path.get(DEVICE), true)))
            .post("/file/device/{device}/unblacklist",
                    operator((request, response, path) -> setBlacklisted(response, path.get(DEVICE), false)));

    @Activate
    public DeviceServlet(RestConfig config, @Reference ApiTokenCheck apiToken) {
        ObjectMapper mapper = JsonMappers.withOwnTypeCache(new ObjectMapper());
        this.deviceJson = new DeviceJson(mapper.getFactory());
        this.responses = new JsonResponses(mapper);
        this.maxBodyBytes = RestSecrets.maxBodyBytes(config, LOG);
        this.bodies = new JsonBodies(maxBodyBytes);
        this.resolver = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                NamedThreadFactory.numbered("wasmiot-rest-resolve"),
                new ThreadPoolExecutor.AbortPolicy());
        resolver.allowCoreThreadTimeOut(true);
        this.registerRequests = new RegisterRequest(resolver, 2000);
        this.registerAllowed = NetworkList.parse(config.registerAllowedNetworks());
        RestSecrets.warnOfMovedKeys(config, LOG);
        this.apiToken = apiToken;
    }

    @Deactivate
    void deactivate() {
        resolver.shutdownNow();
    }

    /** The path below the context, decoded: {@code /file/device/...} or {@code /discovery/register}. */
    private static String path(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        String path = request.getServletPath() + (pathInfo == null ? "" : pathInfo);
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        super.service(request, ClosingIfBodyUnread.wrap(request, response));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        dispatch("GET", request, response);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        dispatch("DELETE", request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            JsonBodies.requireJsonContentType(request.getContentType());
        } catch (JsonBodies.Refused e) {
            LOG.info("POST {} from {} refused ({}): {}", RegisterRequest.shown(path(request)), request.getRemoteAddr(),
                    e.status, e.getMessage());
            responses.error(response, e.status, e.getMessage());
            return;
        }
        dispatch("POST", request, response);
    }

    private void dispatch(String method, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Routes.Match match = routes.match(method, path(request));
        if (match instanceof Routes.Found found) {
            found.handler().handle(request, response, found.parameters());
        } else if (match instanceof Routes.NotAllowed notAllowed) {
            response.setHeader("Allow", String.join(", ", notAllowed.allowed()));
            responses.error(response, 405, "method " + method + " is not allowed on " + request.getRequestURI()
                    + " (allowed: " + String.join(", ", notAllowed.allowed()) + ")");
        } else {
            responses.error(response, 404, "no such resource: " + request.getRequestURI());
        }
    }

    /** A route that changes something: with an API token configured, it needs {@code Authorization: Bearer}. */
    private Routes.Handler operator(Routes.Handler handler) {
        return (request, response, parameters) -> {
            if (authorized(request, response)) {
                handler.handle(request, response, parameters);
            }
        };
    }

    private void list(HttpServletRequest request, HttpServletResponse response, Map<String, String> path)
            throws IOException {
        DeviceStore current = storeOrUnavailable(response);
        if (current == null) {
            return;
        }
        try {
            response.setContentType(JsonResponses.JSON);
            deviceJson.writeList(current.findAll(), response.getOutputStream());
        } catch (StoreException e) {
            storeFailed(response, e);
        }
    }

    private void one(HttpServletRequest request, HttpServletResponse response, Map<String, String> path)
            throws IOException {
        DeviceStore current = storeOrUnavailable(response);
        if (current == null) {
            return;
        }
        String key = path.get(DEVICE);
        try {
            Optional<Device> device = current.findByIdOrName(key);
            if (device.isEmpty()) {
                noSuchDevice(response, key);
                return;
            }
            response.setContentType(JsonResponses.JSON);
            deviceJson.writeOne(device.get(), response.getOutputStream());
        } catch (StoreException e) {
            storeFailed(response, e);
        }
    }

    private void forgetAll(HttpServletRequest request, HttpServletResponse response, Map<String, String> path)
            throws IOException {
        withControl(response, control -> responses.send(response, 200,
                Map.of("deletedCount", control.forgetAll(OPERATOR + " from " + request.getRemoteAddr()))));
    }

    private void forgetOne(HttpServletRequest request, HttpServletResponse response, Map<String, String> path)
            throws IOException {
        String key = path.get(DEVICE);
        withControl(response, control -> {
            if (control.forget(key, OPERATOR + " from " + request.getRemoteAddr()).isEmpty()) {
                noSuchDevice(response, key);
            } else {
                response.setStatus(204);
            }
        });
    }

    private void rescan(HttpServletRequest request, HttpServletResponse response, Map<String, String> path)
            throws IOException {
        withControl(response, control -> {
            control.rescan();
            response.setStatus(204);
        });
    }

    private void setBlacklisted(HttpServletResponse response, String key, boolean blacklist) throws IOException {
        withControl(response, control -> {
            Optional<Device> device = control.setBlacklisted(key, blacklist);
            if (device.isEmpty()) {
                noSuchDevice(response, key);
                return;
            }
            responses.send(response, 200, Map.of(
                    "message", "device " + device.get().name() + (blacklist ? " blacklisted" : " unblacklisted"),
                    "deviceId", device.get().id()));
        });
    }

    /** An operator action on the core: {@code 503} while it is away or the store fails. */
    @FunctionalInterface
    private interface ControlAction {
        void run(DiscoveryControl control) throws IOException;
    }

    private void withControl(HttpServletResponse response, ControlAction action) throws IOException {
        DiscoveryControl current = controlOrUnavailable(response);
        if (current == null) {
            return;
        }
        try {
            action.run(current);
        } catch (StoreException e) {
            storeFailed(response, e);
        }
    }

    private void register(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String caller = request.getRemoteAddr();
        if (!registerAllowed.allows(caller)) {
            LOG.warn("Register refused: {} is outside the allowed networks", caller);
            responses.error(response, 403, "register is not allowed from " + caller);
            return;
        }
        Sighting sighting;
        try {
            JsonNode body = bodies.read(request, maxBodyBytes);
            sighting = registerRequests.parse(body, caller, Instant.now());
        } catch (JsonBodies.Refused e) {
            LOG.info("Register from {} refused ({}): {}", caller, e.status, e.getMessage());
            responses.error(response, e.status, e.getMessage());
            return;
        } catch (RegisterRequest.Invalid e) {
            LOG.info("Register from {} refused: {}", caller, e.getMessage());
            responses.error(response, 400, e.getMessage());
            return;
        }
        RegisterSource current = registrations;
        if (current == null) {
            responses.error(response, 503, "discovery core unavailable (the REST bundle is stopping)");
            return;
        }
        try {
            current.register(sighting);
        } catch (CapacityExceededException e) {
            responses.error(response, 503, e.getMessage());
            return;
        } catch (IllegalStateException e) {
            responses.error(response, 503, "discovery core unavailable (" + e.getMessage() + ")");
            return;
        }
        LOG.info("Register from {}: {} at {} port {}", caller, sighting.name(),
                sighting.communication().addresses(), sighting.communication().port());
        response.setStatus(204);
    }

    /** With an API token configured, a change needs {@code Authorization: Bearer <token>}. */
    private boolean authorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!apiToken.configured() || apiToken.accepts(request.getHeader("Authorization"))) {
            return true;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"wasmiot\"");
        responses.error(response, 401, "this request needs 'Authorization: Bearer <apiToken>'");
        return false;
    }

    private DeviceStore storeOrUnavailable(HttpServletResponse response) throws IOException {
        return orUnavailable(store, "device store unavailable (the store bundle is not running)", response);
    }

    private void noSuchDevice(HttpServletResponse response, String key) throws IOException {
        responses.error(response, 404, "no device with _id or name " + RegisterRequest.shown(key));
    }

    private DiscoveryControl controlOrUnavailable(HttpServletResponse response) throws IOException {
        return orUnavailable(control, "discovery core unavailable (the core bundle is not running)", response);
    }

    /** {@code service}, or {@code null} after answering {@code 503} with {@code unavailable}. */
    private <T> T orUnavailable(T service, String unavailable, HttpServletResponse response) throws IOException {
        if (service == null) {
            responses.error(response, 503, unavailable);
        }
        return service;
    }

    private void storeFailed(HttpServletResponse response, StoreException e) throws IOException {
        LOG.warn("Device store failed: {}", e.getMessage());
        if (!response.isCommitted()) {
            response.reset();
            responses.error(response, 503, e.getMessage());
        }
    }
}
