package io.wasmiot.gateway.standby.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Stands in for the REST bundle while it is away (stopped, being updated, or restarted by an API
 * refresh), and for the health check servlet ({@code /system/health}) while it is not registered: {@code 503} with {@code Retry-After: 1} and the JSON error shape of docs/contract.md §6, instead of
 * Jetty's {@code 404}. It registers on exactly the REST servlets' patterns with the lowest ranking,
 * so the whiteboard shadows it on every pattern while a REST servlet holds that pattern and gives
 * the pattern to it the moment that servlet goes.
 *
 * <p>It imports nothing of the gateway's API, so a refresh of the API bundle leaves it running.
 */
// The lowest ranking there is: any REST servlet on the same pattern wins.
@Component(service = Servlet.class, property = "service.ranking:Integer=-2147483648")
@HttpWhiteboardServletPattern({StandbyServlet.DEVICES, StandbyServlet.DEVICES + "/*", StandbyServlet.DEVICES + "/events",
        StandbyServlet.REGISTER, StandbyServlet.HEALTH, StandbyServlet.DESCRIPTION, StandbyServlet.METRICS,
        StandbyServlet.DEVICE_LOGS, StandbyServlet.HEALTH_CHECKS, StandbyServlet.HEALTH_CHECKS + ".json"})
@HttpWhiteboardServletName("wasmiot-standby")
public class StandbyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String DEVICES = "/file/device";
    static final String REGISTER = "/discovery/register";
    static final String HEALTH = "/health";
    static final String DESCRIPTION = "/.well-known/wasmiot-device-description";
    static final String METRICS = "/metrics";
    static final String DEVICE_LOGS = "/device/logs";
    /** The Felix HC servlet's path (bundle wasmiot.gateway.health): 503, not 404, until it is registered. */
    static final String HEALTH_CHECKS = "/system/health";
    static final String BODY = "{\"error\":\"the REST service is being updated; retry\"}";
    static final String HEALTH_CHECKS_BODY = "{\"error\":\"the health checks are not running yet; retry\"}";
    private static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEALTH_CHECKS_BODY_BYTES = HEALTH_CHECKS_BODY.getBytes(StandardCharsets.UTF_8);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response);
    }

    /** Whether a request carries a body (RFC 9112 §6.1: a Content-Length above 0, or a Transfer-Encoding). */
    static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Whether {@code path} is one of the paths this servlet stands in for. */
    static boolean covers(String path) {
        return path != null && (path.equals(DEVICES) || path.startsWith(DEVICES + "/") || path.equals(REGISTER)
                || path.equals(HEALTH) || path.equals(DESCRIPTION) || path.equals(METRICS) || path.equals(DEVICE_LOGS)
                || isHealthChecks(path));
    }

    static boolean isHealthChecks(String path) {
        return HEALTH_CHECKS.equals(path) || (HEALTH_CHECKS + ".json").equals(path);
    }

    /** The standby's answer: also {@link UnregisteredServletGuard}'s, for a request the REST bundle lost. */
    static void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        if (hasBody(request)) {
            // The body is not read, so Jetty closes the connection after this answer: said here, or a
            // client sends its next request on the closing connection and gets no answer at all.
            response.setHeader("Connection", "close");
        }
        response.setHeader("Retry-After", "1");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = isHealthChecks(request.getRequestURI()) ? HEALTH_CHECKS_BODY_BYTES : BODY_BYTES;
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
