package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;

public class JsonResponsesTest {
    private final JsonResponses responses = new JsonResponses(new ObjectMapper());

    /** A response recording status, headers and content type into {@code seen} and its body into {@code body}. */
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
        return (HttpServletResponse) Proxy.newProxyInstance(JsonResponsesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> seen.put("status", args[0]);
                        case "setHeader" -> seen.put((String) args[0], args[1]);
                        case "setContentType" -> seen.put("contentType", args[0]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> { }
                    }
                    return null;
                });
    }

    @Test
    public void a503SaysWhenToRetry() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        responses.error(response(seen, body), 503, "device store unavailable");
        assertEquals(503, seen.get("status"));
        assertEquals("1", seen.get("Retry-After"));
        assertEquals("application/json", seen.get("contentType"));
        assertEquals("{\"error\":\"device store unavailable\"}", body.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void otherErrorsDoNot() throws Exception {
        for (int status : new int[] {400, 404, 413, 429}) {
            Map<String, Object> seen = new HashMap<>();
            responses.error(response(seen, new ByteArrayOutputStream()), status, "no");
            assertEquals(status, seen.get("status"));
            assertNull(String.valueOf(status), seen.get("Retry-After"));
        }
    }
}
