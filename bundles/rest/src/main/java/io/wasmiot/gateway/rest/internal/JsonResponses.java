package io.wasmiot.gateway.rest.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/** Writes JSON answers and the error shape of docs/contract.md §6 {@code {"error": "..."}}. */
final class JsonResponses {
    static final String JSON = "application/json";

    private final ObjectMapper mapper;

    JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void send(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        mapper.writeValue(response.getOutputStream(), body);
    }

    /** An error; a {@code 503} (a service the request needs is away, the gateway is full) says when to retry. */
    void error(HttpServletResponse response, int status, String message) throws IOException {
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", "1");
        }
        send(response, status, java.util.Map.of("error", message));
    }
}
