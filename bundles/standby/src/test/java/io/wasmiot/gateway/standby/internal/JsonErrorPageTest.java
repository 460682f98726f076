package io.wasmiot.gateway.standby.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

public class JsonErrorPageTest {

    /** An error dispatch as Felix makes it: the original request with the error attributes. */
    private static HttpServletRequest errorRequest(String method, String uri, int status, String message,
                                                   Throwable failure, long contentLength) {
        HttpServletRequest plain = StandbyServletTest.request(method, uri, contentLength, null);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(RequestDispatcher.ERROR_STATUS_CODE, status);
        if (message != null) {
            attributes.put(RequestDispatcher.ERROR_MESSAGE, message);
        }
        if (failure != null) {
            attributes.put(RequestDispatcher.ERROR_EXCEPTION, failure);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(JsonErrorPageTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> m.invoke(plain, args);
                });
    }

    private static String answer(HttpServletRequest request, Map<String, Object> seen) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new JsonErrorPage().service(request, StandbyServletTest.response(seen, body));
        return body.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void anUnknownPathIsAJson404() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        String body = answer(errorRequest("GET", "/file/nope", 404, null, null, -1), seen); // a servlet's own sendError(404)
        assertEquals(404, seen.get("status"));
        assertEquals("application/json", seen.get("contentType"));
        assertEquals("{\"error\":\"no such resource: /file/nope\"}", body);
        assertNull("no body to leave unread: the connection stays open", seen.get("Connection"));
        assertNull(seen.get("Retry-After"));
    }

    @Test
    public void thePathNoServletHoldsIsAJson404WhateverTheMethod() throws Exception {
        for (String method : new String[] {"GET", "POST", "DELETE", "PUT"}) {
            Map<String, Object> seen = new HashMap<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new UnknownPathServlet().service(StandbyServletTest.request(method, "/nope"),
                    StandbyServletTest.response(seen, body));
            assertEquals(method, 404, seen.get("status"));
            assertEquals(method, "application/json", seen.get("contentType"));
            assertEquals(method, "{\"error\":\"no such resource: /nope\"}", body.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    public void aMethodAServletDoesNotTakeIsAJson405InOurWords() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        String body = answer(errorRequest("POST", "/health", 405, "HTTP method POST is not supported by this URL", null, 2),
                seen);
        assertEquals(405, seen.get("status"));
        assertEquals("{\"error\":\"method POST is not allowed on /health\"}", body);
        assertEquals("its body is not read: the connection closes, and says so", "close", seen.get("Connection"));
    }

    @Test
    public void aServletThatThrewIsAJson500WithoutTheCause() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        String body = answer(errorRequest("GET", "/metrics", 500, null,
                new IllegalStateException("secret detail"), -1), seen);
        assertEquals(500, seen.get("status"));
        assertEquals("{\"error\":\"internal error while answering GET /metrics\"}", body);
    }

    @Test
    public void aRestServletLostMidDispatchGetsTheStandbysAnswer() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        String body = answer(errorRequest("GET", "/file/device", 500, null,
                new ServletException(UnregisteredServletGuard.UNREGISTERED), -1), seen);
        assertEquals(503, seen.get("status"));
        assertEquals("1", seen.get("Retry-After"));
        assertEquals(StandbyServlet.BODY, body);
        Map<String, Object> elsewhere = new HashMap<>();
        answer(errorRequest("GET", "/elsewhere", 500, null,
                new ServletException(UnregisteredServletGuard.UNREGISTERED), -1), elsewhere);
        assertEquals("outside the REST paths it stays a 500", 500, elsewhere.get("status"));
    }

    @Test
    public void a503SaysWhenToRetry() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        String body = answer(errorRequest("GET", "/x", 503, null, null, -1), seen);
        assertEquals(503, seen.get("status"));
        assertEquals("1", seen.get("Retry-After"));
        assertEquals("{\"error\":\"service unavailable; retry\"}", body);
    }

    @Test
    public void clientTextInTheMessageIsBoundedOneLineAndValidJson() {
        assertEquals("\"a\\\"b\\\\c\"", JsonErrorPage.quoted("a\"b\\c"));
        assertEquals("\"lone \\ufffd\"", JsonErrorPage.quoted("lone \ud800"));
        assertEquals("\"pair \ud83d\ude00\"", JsonErrorPage.quoted("pair \ud83d\ude00"));
        assertEquals("line?break?", JsonErrorPage.shown("line\rbreak\n"));
        String shown = JsonErrorPage.shown("/" + "x".repeat(1000));
        assertEquals(203, shown.length());
        assertEquals("HTTP 418 for GET /teapot", JsonErrorPage.message(418, "GET", "/teapot", null));
        assertEquals("I'm a teapot", JsonErrorPage.message(418, "GET", "/teapot", "I'm a teapot"));
    }
}
