package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import jakarta.servlet.http.HttpServletResponse;

public class HealthEndpointGuardTest {
    @Test
    public void onlyJsonAndATimeoutInMillisecondsPass() {
        assertNull(HealthEndpointGuard.refusal(null, null));
        assertNull(HealthEndpointGuard.refusal("json", "1500"));
        assertEquals("only format=json is served on /system/health", HealthEndpointGuard.refusal("html", null));
        assertEquals("timeout must be a number of milliseconds", HealthEndpointGuard.refusal(null, "soon"));
        assertEquals("timeout must be 1-60000 ms", HealthEndpointGuard.refusal(null, "0"));
        assertEquals("timeout must be 1-60000 ms", HealthEndpointGuard.refusal("json", "60001"));
    }

    @Test
    public void a503CarriesRetryAfterAndOtherStatusesDoNot() {
        Map<String, Object> seen = new HashMap<>();
        new HealthEndpointGuard.RetryAfterOn503(response(seen)).setStatus(503);
        assertEquals(503, seen.get("status"));
        assertEquals("1", seen.get("Retry-After"));
        Map<String, Object> ok = new HashMap<>();
        new HealthEndpointGuard.RetryAfterOn503(response(ok)).setStatus(200);
        assertEquals(200, ok.get("status"));
        assertNull(ok.get("Retry-After"));
    }

    private static HttpServletResponse response(Map<String, Object> seen) {
        return (HttpServletResponse) Proxy.newProxyInstance(HealthEndpointGuardTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> seen.put("status", args[0]);
                        case "setHeader" -> seen.put((String) args[0], args[1]);
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
