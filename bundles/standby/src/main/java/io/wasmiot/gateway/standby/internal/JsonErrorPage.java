package io.wasmiot.gateway.standby.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The error page of the whiteboard's default context (docs/contract.md §6: every error is {@code {"error": ...}}):
 * Felix HTTP sends here every {@code sendError} of the context, its own {@code 404} for a path no
 * servlet holds ({@code GET /nope}, {@code GET /file/nope}), a servlet's default {@code 405} (a
 * method it does not take) and the {@code 500} of a servlet that threw, instead of Jetty's HTML page.
 * The web console has its own context ({@code /system/console}) and keeps its own pages.
 *
 * <p>A request whose REST servlet was unregistered while it was being dispatched ends here as a
 * {@code 500}; it gets the standby's {@code 503} instead (see {@link UnregisteredServletGuard}).
 */
// The lowest ranking there is: an error page any other bundle registers for the same codes wins.
@Component(service = Servlet.class, property = "service.ranking:Integer=-2147483648")
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
@HttpWhiteboardServletName("wasmiot-errors")
public class JsonErrorPage extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SHOWN = 200;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (UnregisteredServletGuard.isLostServlet(failure) && StandbyServlet.covers(path)) {
            StandbyServlet.answer(request, response);
            return;
        }
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? code : response.getStatus();
        Object given = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        write(request, response, status, message(status, request.getMethod(), path,
                given instanceof String text ? text : null));
    }

    /** What went wrong, for {@code {"error"}}: our own words for the container's usual errors. */
    static String message(int status, String method, String path, String given) {
        String where = shown(path);
        return switch (status) {
            case 404 -> "no such resource: " + where;
            case 405 -> "method " + shown(method) + " is not allowed on " + where;
            // the cause is in the gateway's log; nothing of it goes to the client
            case 500 -> "internal error while answering " + shown(method) + " " + where;
            case 503 -> given == null || given.isBlank() ? "service unavailable; retry" : shown(given);
            default -> given == null || given.isBlank() ? "HTTP " + status + " for " + shown(method) + " " + where
                    : shown(given);
        };
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException {
        byte[] body = ("{\"error\":" + quoted(message) + "}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        if (StandbyServlet.hasBody(request)) {
            // An error may come before the body was read; Jetty then closes the connection: said here,
            // or a keep-alive client sends its next request on the closing connection (see the standby).
            response.setHeader("Connection", "close");
        }
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", "1");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Client-supplied text (a path, a method) as it may appear in a message: bounded, one line. */
    static String shown(String text) {
        if (text == null) {
            return "";
        }
        String line = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
        StringBuilder out = new StringBuilder(line.length());
        line.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    /** A JSON string literal (RFC 8259 §7); what {@link #shown} keeps needs only quotes and backslashes escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !validPair(text, i)) {
                out.append(String.format("\\u%04x", (int) (Character.isSurrogate(c) ? 0xfffd : c)));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
