package io.wasmiot.gateway.health.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Keeps the Felix HC servlet's answers on {@code /system/health} within the gateway's HTTP promises:
 * a request for another format than JSON, or with a {@code timeout} that is not a number of
 * milliseconds, gets a {@code 400} with {@code {"error"}} (the servlet would answer plain text or
 * fail), and a {@code 503} carries {@code Retry-After: 1} like every other {@code 503} of the gateway.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern({HealthEndpointDefaults.PATH, HealthEndpointDefaults.PATH + ".json"})
@HttpWhiteboardFilterName("wasmiot-health-guard")
public class HealthEndpointGuard implements Filter {
    static final int MAX_TIMEOUT_MILLIS = 60_000;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        String refusal = refusal(http.getParameter("format"), http.getParameter("timeout"));
        if (refusal != null) {
            refuse(answer, refusal);
            return;
        }
        chain.doFilter(request, new RetryAfterOn503(answer));
    }

    /** Why the request's parameters are refused; {@code null} when they are fine. */
    static String refusal(String format, String timeout) {
        if (format != null && !format.equals("json")) {
            return "only format=json is served on " + HealthEndpointDefaults.PATH;
        }
        if (timeout != null && !timeout.isBlank()) {
            try {
                int millis = Integer.parseInt(timeout.strip());
                if (millis < 1 || millis > MAX_TIMEOUT_MILLIS) {
                    return "timeout must be 1-" + MAX_TIMEOUT_MILLIS + " ms";
                }
            } catch (NumberFormatException e) {
                return "timeout must be a number of milliseconds";
            }
        }
        return null;
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Adds {@code Retry-After: 1} when the servlet sets {@code 503}, before it writes its body. */
    static final class RetryAfterOn503 extends HttpServletResponseWrapper {
        RetryAfterOn503(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int status) {
            super.setStatus(status);
            if (status == SC_SERVICE_UNAVAILABLE) {
                setHeader("Retry-After", "1");
            }
        }
    }
}
