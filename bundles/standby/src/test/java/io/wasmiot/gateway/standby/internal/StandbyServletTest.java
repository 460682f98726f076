package io.wasmiot.gateway.standby.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class StandbyServletTest {
    @Test
    public void everyMethodAnswers503WithRetryAfterAndTheJsonError() throws Exception {
        for (String method : new String[] {"GET", "POST", "DELETE", "PUT", "HEAD"}) {
            Map<String, Object> seen = new HashMap<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new StandbyServlet().service(request(method, "/file/device"), response(seen, body));
            assertEquals(method, 503, seen.get("status"));
            assertEquals(method, "1", seen.get("Retry-After"));
            assertEquals(method, "application/json", seen.get("contentType"));
            assertEquals(method, "{\"error\":\"the REST service is being updated; retry\"}",
                    body.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    public void theHealthCheckPathsAnswer503WithTheirOwnJsonErrorUntilTheServletIsThere() throws Exception {
        for (String path : new String[] {"/system/health", "/system/health.json"}) {
            Map<String, Object> seen = new HashMap<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new StandbyServlet().service(request("GET", path), response(seen, body));
            assertEquals(path, 503, seen.get("status"));
            assertEquals(path, "1", seen.get("Retry-After"));
            assertEquals(path, "{\"error\":\"the health checks are not running yet; retry\"}",
                    body.toString(StandardCharsets.UTF_8));
        }
        assertEquals(false, StandbyServlet.covers("/system/health/readiness.json"));
        assertEquals(false, StandbyServlet.covers("/system/console"));
    }

    @Test
    public void anAnswerThatLeavesABodyUnreadSaysTheConnectionCloses() throws Exception {
        Map<String, Object> withBody = new HashMap<>();
        new StandbyServlet().service(request("POST", "/discovery/register", 2, null), response(withBody, new ByteArrayOutputStream()));
        assertEquals("close", withBody.get("Connection"));
        Map<String, Object> chunked = new HashMap<>();
        new StandbyServlet().service(request("POST", "/discovery/register", -1, "chunked"),
                response(chunked, new ByteArrayOutputStream()));
        assertEquals("close", chunked.get("Connection"));
        for (long length : new long[] {-1, 0}) {
            Map<String, Object> noBody = new HashMap<>();
            new StandbyServlet().service(request("GET", "/file/device", length, null), response(noBody, new ByteArrayOutputStream()));
            assertEquals("no body: the connection stays open", null, noBody.get("Connection"));
        }
    }

    static HttpServletRequest request(String method, String uri) {
        return request(method, uri, -1, null);
    }

    static HttpServletRequest request(String method, String uri, long contentLength, String transferEncoding) {
        return (HttpServletRequest) Proxy.newProxyInstance(StandbyServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getContentLengthLong" -> contentLength;
                    case "getHeader" -> "Transfer-Encoding".equalsIgnoreCase((String) args[0]) ? transferEncoding : null;
                    default -> null;
                });
    }

    /** A response recording into {@code seen}; committed when {@code seen} holds "committed". */
    static HttpServletResponse response(Map<String, Object> seen, ByteArrayOutputStream body) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(StandbyServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> seen.put("status", args[0]);
                        case "setHeader" -> seen.put((String) args[0], args[1]);
                        case "setContentType" -> seen.put("contentType", args[0]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "isCommitted" -> {
                            return seen.containsKey("committed");
                        }
                        case "reset" -> seen.put("reset", true);
                        case "sendError" -> seen.put("sendError", args[0]);
                        default -> { }
                    }
                    return null;
                });
    }
}
