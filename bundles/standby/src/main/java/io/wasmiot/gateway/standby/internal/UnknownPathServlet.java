package io.wasmiot.gateway.standby.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code 404} with the JSON error of docs/contract.md §6 for a path no servlet holds ({@code GET /nope},
 * {@code GET /file/nope}). Felix's own {@code 404} for such a path does not reach the default
 * context's error page ({@link JsonErrorPage}): Felix looks the error page up in the first context
 * on {@code /}, which is its HTTP Service's, where no whiteboard servlet can go. So this servlet
 * holds {@code /*} of the default context with the lowest ranking: every longer pattern (the REST
 * servlets', the standby's) wins by the servlet path rules, and the web console keeps its own
 * context ({@code /system/console}) and pages.
 */
@Component(service = Servlet.class, property = "service.ranking:Integer=-2147483648")
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("wasmiot-unknown-path")
public class UnknownPathServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonErrorPage.write(request, response, HttpServletResponse.SC_NOT_FOUND,
                JsonErrorPage.message(HttpServletResponse.SC_NOT_FOUND, request.getMethod(), request.getRequestURI(), null));
    }
}
