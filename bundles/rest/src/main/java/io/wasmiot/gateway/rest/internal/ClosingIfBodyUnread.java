package io.wasmiot.gateway.rest.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Jetty closes a connection after an answer that left the request's body unread (a refusal before
 * the body, a route that takes none); unannounced, a client sends its next request on the closing
 * connection and gets no answer at all. So, for a request with a body, an answer whose status is set
 * while the body is unread says {@code Connection: close}.
 */
final class ClosingIfBodyUnread extends HttpServletResponseWrapper {
    private final HttpServletRequest request;

    private ClosingIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        super(response);
        this.request = request;
    }

    /** {@code response} as it is for a request without a body, wrapped for one with a body. */
    static HttpServletResponse wrap(HttpServletRequest request, HttpServletResponse response) {
        return JsonBodies.hasBody(request) ? new ClosingIfBodyUnread(request, response) : response;
    }

    @Override
    public void setStatus(int status) {
        announceClose();
        super.setStatus(status);
    }

    @Override
    public void sendError(int status) throws IOException {
        announceClose();
        super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        announceClose();
        super.sendError(status, message);
    }

    private void announceClose() {
        if (!JsonBodies.wasRead(request)) {
            setHeader("Connection", "close");
        }
    }
}
