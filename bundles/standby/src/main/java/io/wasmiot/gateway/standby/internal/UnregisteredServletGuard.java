package io.wasmiot.gateway.standby.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Closes the last gap between a REST servlet and {@link StandbyServlet}: Felix's whiteboard can pick
 * a REST servlet for a request an instant before that servlet is unregistered, and then fails the
 * request with a {@code ServletException} "Servlet has been unregistered", which Jetty answers with
 * its {@code 500} page (seen once in 10 REST stop/start cycles of back-to-back requests,
 * {@code RestStandbyIT}). Such a request, on one of the REST paths and not yet answered, gets the
 * standby's {@code 503} instead. Felix gives no other sign than the message, so any other exception
 * passes through as before.
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
        try {
            chain.doFilter(request, response);
        } catch (ServletException e) {
            if (!UNREGISTERED.equals(e.getMessage()) || response.isCommitted()
                    || !(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)
                    || !StandbyServlet.covers(http.getRequestURI())) {
                throw e;
            }
            answer.reset();
            StandbyServlet.answer(answer);
        }
    }

    @Override
    public void destroy() {
    }
}
