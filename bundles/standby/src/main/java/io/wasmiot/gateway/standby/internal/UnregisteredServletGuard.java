package io.wasmiot.gateway.standby.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Closes the last gap between a REST servlet and {@link StandbyServlet}: Felix's whiteboard can pick
 * a REST servlet for a request an instant before that servlet is unregistered, and then fails the
 * request with a {@code ServletException} "Servlet has been unregistered", which Jetty answers with
 * its {@code 500} page (seen once in 10 REST stop/start cycles of back-to-back requests,
 * {@code RestStandbyIT}). Such a request, on one of the REST paths and not yet answered, gets the
 * standby's {@code 503} instead, whether the exception reaches this preprocessor or Felix turns it
 * into {@code sendError(500)} first. Felix gives no other sign than the message, so any other
 * exception or error passes through as before.
 */
@Component(service = Preprocessor.class)
public class UnregisteredServletGuard implements Preprocessor {
    /** Felix HTTP's {@code ServletHandler.handle} message when its servlet went after dispatch. */
    static final String UNREGISTERED = "Servlet has been unregistered";

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)
                || !StandbyServlet.covers(http.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, new StandIn(http, answer));
        } catch (ServletException e) {
            if (!isLostServlet(e) || response.isCommitted()) {
                throw e;
            }
            answer.reset();
            StandbyServlet.answer(http, answer);
        }
    }

    /** Felix's failure for a servlet that was unregistered after the request was dispatched to it. */
    static boolean isLostServlet(Object failure) {
        return failure instanceof ServletException e && UNREGISTERED.equals(e.getMessage());
    }

    /**
     * Felix's dispatcher catches the exception itself (CI saw it): it logs it, puts it in the request's
     * {@link RequestDispatcher#ERROR_EXCEPTION} and calls {@code sendError(500)} on the response it was
     * given, which is this one.
     */
    private static final class StandIn extends HttpServletResponseWrapper {
        private final HttpServletRequest request;

        StandIn(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void sendError(int status) throws IOException {
            if (!answeredForLostServlet(status)) {
                super.sendError(status);
            }
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (!answeredForLostServlet(status)) {
                super.sendError(status, message);
            }
        }

        private boolean answeredForLostServlet(int status) throws IOException {
            if (status != SC_INTERNAL_SERVER_ERROR || isCommitted()
                    || !isLostServlet(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
                return false;
            }
            HttpServletResponse answer = (HttpServletResponse) getResponse();
            answer.reset();
            StandbyServlet.answer(request, answer);
            return true;
        }
    }

    @Override
    public void destroy() {
    }
}
