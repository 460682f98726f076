package io.wasmiot.agent.internal;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A device's answer before it is written: status, JSON body, and the value of
 * {@code Custom-Orchestrator-Set} when the route carries it ({@code null} otherwise).
 */
record HttpAnswer(HttpResponseStatus status, byte[] body, String orchestratorSetHeader, String allowHeader) {
    static final String JSON = "application/json; charset=utf-8";

    static HttpAnswer json(HttpResponseStatus status, byte[] body) {
        return new HttpAnswer(status, body, null, null);
    }

    /** {@code {"error": message}}, the error shape of docs/contract.md §6. */
    static HttpAnswer error(HttpResponseStatus status, String message) {
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        return json(status, ("{\"error\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    HttpAnswer withOrchestratorSet(boolean set) {
        return new HttpAnswer(status, body, Boolean.toString(set), allowHeader);
    }

    HttpAnswer withAllow(String methods) {
        return new HttpAnswer(status, body, orchestratorSetHeader, methods);
    }
}
