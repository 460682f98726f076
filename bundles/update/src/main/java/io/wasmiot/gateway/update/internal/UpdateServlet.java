package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
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

import io.wasmiot.gateway.api.access.ApiTokenCheck;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The update service over REST: {@code POST /gateway/updates} (the jar as the body, headers
 * {@code X-Sha256}, {@code X-Bundle}; answers when the update is decided), {@code GET /gateway/updates}
 * (the journal, newest first), {@code GET /gateway/bundles} (the inventory). A POST needs the gateway's
 * API token as a bearer, or the update service's own when one is set ({@link UpdateAccess}); with no
 * token at all, updates over REST are off. Every error is JSON {@code {"error": ...}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({UpdateServlet.UPDATES, UpdateServlet.BUNDLES})
@HttpWhiteboardServletName("wasmiot-updates")
public class UpdateServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UpdateServlet.class);
    static final String UPDATES = "/gateway/updates";
    static final String BUNDLES = "/gateway/bundles";
    private static final int MAX_OPERATOR_CHARS = 100;

    /** The PID that holds the gateway's API token (the REST bundle's). */
    static final String REST_PID = "wasmiot.gateway.rest";

    private final transient BundleUpdater updater;
    private final transient BundleContext context;
    private final transient ObjectMapper mapper = UpdateJson.mapper();

    /** The gateway's API token check (the REST bundle's); away: only this service's own token, if set. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ApiTokenCheck apiToken;

    @Activate
    public UpdateServlet(BundleContext context, @Reference BundleUpdater updater) {
        this.context = context;
        this.updater = updater;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            super.service(request, response);
        } catch (IOException | RuntimeException | jakarta.servlet.ServletException e) {
            LOG.error("Update service: {} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString());
            if (!response.isCommitted()) {
                response.reset();
                error(response, 500, "the update service failed: " + e.getMessage());
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getServletPath()) {
            case UPDATES -> {
                List<JournalEntry> entries = new ArrayList<>(updater.journal());
                Collections.reverse(entries);
                send(response, 200, entries);
            }
            case BUNDLES -> send(response, 200, Inventory.of(context, updater.runningJars()));
            default -> error(response, 404, "no such resource: " + request.getRequestURI());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close"); // a refusal may leave the jar unread: never reuse the connection
        if (!UPDATES.equals(request.getServletPath())) {
            error(response, 405, "only GET on " + request.getRequestURI());
            return;
        }
        if (!authorized(request, response)) {
            return;
        }
        runAndAnswer(updater, mapper, request, response, who(request));
    }

    /**
     * Runs the update {@code request} carries (the jar as its body, {@code X-Bundle}, {@code X-Sha256})
     * and answers its outcome in JSON: the REST endpoint's and the console page's one way to update.
     */
    static void runAndAnswer(BundleUpdater updater, ObjectMapper mapper, HttpServletRequest request,
            HttpServletResponse response, String who) throws IOException {
        try {
            JournalEntry last = updater.update(request.getHeader("X-Bundle"), request.getInputStream(),
                    request.getHeader("X-Sha256"), who);
            send(mapper, response, status(last.step()), last);
        } catch (UpdateRefused e) {
            send(mapper, response, switch (e.kind) {
                case BAD_REQUEST -> 400;
                case TOO_LARGE -> 413;
                case BUSY, CONFLICT -> 409;
                case MISCONFIGURED -> 500;
            }, Map.of("error", e.getMessage()));
        }
    }

    /** Committed 200; rolled back 422 (the jar was bad); rollback failed 500; undecided (service stopping) 503. */
    static int status(JournalEntry.Step step) {
        return switch (step) {
            case COMMITTED -> 200;
            case ROLLED_BACK, REFUSED -> 422;
            case ROLLBACK_FAILED -> 500;
            case APPLYING -> 503;
        };
    }

    private boolean authorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (UpdateAccess.decide(updater.settings().apiToken(), apiToken, request.getHeader("Authorization"))) {
            case ALLOWED -> {
                return true;
            }
            case OFF -> {
                LOG.warn("Update over REST from {} refused: no API token configured", request.getRemoteAddr());
                error(response, 403, "updates over REST are off: set the gateway's API token (.apiToken in "
                        + REST_PID + ") or one of the update service's own (.apiToken in " + UpdateConfig.PID + ")");
            }
            case UNAUTHORIZED -> {
                LOG.warn("Update over REST from {} refused: no or a wrong bearer token", request.getRemoteAddr());
                response.setHeader("WWW-Authenticate", "Bearer realm=\"wasmiot\"");
                error(response, 401, "this request needs 'Authorization: Bearer <API token>'");
            }
        }
        return false;
    }

    /** The journal's "who": the caller's address and the name it gives in {@code X-Operator} (bounded, printable). */
    static String who(HttpServletRequest request) {
        String operator = request.getHeader("X-Operator");
        String address = "rest " + request.getRemoteAddr();
        if (operator == null || operator.isBlank()) {
            return address;
        }
        String printable = operator.replaceAll("[^\\p{Print}]", "?").strip();
        return (printable.length() > MAX_OPERATOR_CHARS ? printable.substring(0, MAX_OPERATOR_CHARS) : printable)
                + " (" + address + ")";
    }

    private void send(HttpServletResponse response, int status, Object body) throws IOException {
        send(mapper, response, status, body);
    }

    private static void send(ObjectMapper mapper, HttpServletResponse response, int status, Object body)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        mapper.writeValue(response.getOutputStream(), body);
    }

    private void error(HttpServletResponse response, int status, String message) throws IOException {
        send(response, status, Map.of("error", message));
    }
}
