package io.wasmiot.gateway.standby.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;

public class UnregisteredServletGuardTest {
    private static final FilterChain REST_SERVLET_WENT = (request, response) -> {
        throw new ServletException(UnregisteredServletGuard.UNREGISTERED);
    };

    @Test
    public void aRestRequestWhoseServletWentGetsTheStandbysAnswer() throws Exception {
        for (String path : new String[] {"/file/device", "/file/device/abc/blacklist", "/discovery/register", "/health",
                "/.well-known/wasmiot-device-description", "/metrics", "/device/logs"}) {
            Map<String, Object> seen = new HashMap<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new UnregisteredServletGuard().doFilter(StandbyServletTest.request("GET", path),
                    StandbyServletTest.response(seen, body), REST_SERVLET_WENT);
            assertEquals(path, true, seen.get("reset"));
            assertEquals(path, 503, seen.get("status"));
            assertEquals(path, "1", seen.get("Retry-After"));
            assertEquals(path, StandbyServlet.BODY, body.toString(StandardCharsets.UTF_8));
        }
    }

    /** What Felix's dispatcher does with the exception before any preprocessor sees it (CI's log). */
    private static final FilterChain FELIX_ANSWERS_500 = (request, response) -> {
        request.setAttribute(jakarta.servlet.RequestDispatcher.ERROR_EXCEPTION,
                new ServletException(UnregisteredServletGuard.UNREGISTERED));
        ((jakarta.servlet.http.HttpServletResponse) response).sendError(500);
    };

    /** A request that keeps its attributes. */
    private static jakarta.servlet.http.HttpServletRequest withAttributes(String path) {
        jakarta.servlet.http.HttpServletRequest plain = StandbyServletTest.request("GET", path);
        Map<String, Object> attributes = new HashMap<>();
        return (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                UnregisteredServletGuardTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> m.invoke(plain, args);
                });
    }

    @Test
    public void aLostServletsErrorPageFromFelixBecomesTheStandbysAnswer() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new UnregisteredServletGuard().doFilter(withAttributes("/file/device"), StandbyServletTest.response(seen, body),
                FELIX_ANSWERS_500);
        assertEquals(503, seen.get("status"));
        assertEquals("1", seen.get("Retry-After"));
        assertEquals(StandbyServlet.BODY, body.toString(StandardCharsets.UTF_8));
        assertEquals("Felix's 500 does not reach the response", null, seen.get("sendError"));
    }

    @Test
    public void otherErrorPagesPassThrough() throws Exception {
        FilterChain otherFailure = (request, response) -> {
            request.setAttribute(jakarta.servlet.RequestDispatcher.ERROR_EXCEPTION, new ServletException("boom"));
            ((jakarta.servlet.http.HttpServletResponse) response).sendError(500);
        };
        Map<String, Object> seen = new HashMap<>();
        new UnregisteredServletGuard().doFilter(withAttributes("/file/device"),
                StandbyServletTest.response(seen, new ByteArrayOutputStream()), otherFailure);
        assertEquals(500, seen.get("sendError"));
        Map<String, Object> console = new HashMap<>();
        new UnregisteredServletGuard().doFilter(withAttributes("/system/console/bundles"),
                StandbyServletTest.response(console, new ByteArrayOutputStream()), FELIX_ANSWERS_500);
        assertEquals(500, console.get("sendError"));
    }

    @Test
    public void otherPathsOtherFailuresAndAnsweredRequestsPassThrough() throws Exception {
        ServletException other = new ServletException("something else");
        assertRethrown(other, "/file/device", (request, response) -> {
            throw other;
        }, false);
        ServletException went = new ServletException(UnregisteredServletGuard.UNREGISTERED);
        FilterChain consoleWent = (request, response) -> {
            throw went;
        };
        assertRethrown(went, "/system/console/bundles", consoleWent, false);
        assertRethrown(went, "/file/devices", consoleWent, false);
        assertRethrown(went, "/file/device", consoleWent, true);
    }

    @Test
    public void aRequestThatIsServedIsLeftAlone() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        boolean[] served = new boolean[1];
        new UnregisteredServletGuard().doFilter(StandbyServletTest.request("GET", "/file/device"),
                StandbyServletTest.response(seen, new ByteArrayOutputStream()), (request, response) -> served[0] = true);
        assertTrue(served[0]);
        assertTrue(seen.toString(), seen.isEmpty());
    }

    private static void assertRethrown(ServletException expected, String path, FilterChain chain, boolean committed)
            throws Exception {
        Map<String, Object> seen = new HashMap<>();
        if (committed) {
            seen.put("committed", true);
        }
        try {
            new UnregisteredServletGuard().doFilter(StandbyServletTest.request("GET", path),
                    StandbyServletTest.response(seen, new ByteArrayOutputStream()), chain);
            fail(path + ": expected the exception to pass through");
        } catch (ServletException e) {
            assertSame(path, expected, e);
        }
        assertEquals(path, null, seen.get("status"));
    }
}
