package io.wasmiot.gateway.standby.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads and drops what is left of a request's body once it has been answered, on every path (the
 * REST API, updates, the web console). An answer given before the body was read (a 401 to an
 * upload without its token, a 413, the standby's 503) is followed by a close, and a socket closed
 * with unread bytes sends a reset instead: the reset can destroy the answer before the client has
 * read it (RFC 9112 §9.6). Bounded in bytes and in time; past either, the connection is closed as
 * before. A body read to its end costs one read.
 */
@Component(service = Preprocessor.class)
public class UnreadBodyReader implements Preprocessor {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadBodyReader.class);
    /** The largest upload the gateway takes (the update service's highest {@code maxJarBytes}). */
    static final long MAX_BYTES = 256L << 20;
    /** How long one request's thread may read on; one blocked read is bounded by the connector's idle timeout. */
    static final Duration TIME_BOUND = Duration.ofSeconds(15);

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request instanceof HttpServletRequest http && StandbyServlet.hasBody(http) && !http.isAsyncStarted()
                && !"100-continue".equalsIgnoreCase(http.getHeader("Expect"))) {
            readTheRest(http);
        }
    }

    private static void readTheRest(HttpServletRequest request) {
        try {
            if (drop(request.getInputStream(), MAX_BYTES, TIME_BOUND) < 0) {
                LOG.info("HTTP: stopped reading the rest of a {} {} body from {} (over {} bytes or {} s); its connection is closed",
                        request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), MAX_BYTES, TIME_BOUND.toSeconds());
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the servlet took the body as a reader and so read it
            LOG.debug("HTTP: the rest of a {} {} body was not read: {}", request.getMethod(), request.getRequestURI(), e.toString());
        }
    }

    /**
     * Reads {@code body} to its end and drops it, stopping early after {@code maxBytes} or once
     * {@code timeBound} has passed; returns how many bytes were dropped, or -1 if it stopped early.
     */
    static long drop(InputStream body, long maxBytes, Duration timeBound) throws IOException {
        long deadline = System.nanoTime() + timeBound.toNanos();
        byte[] buffer = new byte[16 * 1024];
        long dropped = 0;
        for (int read; (read = body.read(buffer)) >= 0; ) {
            dropped += read;
            if (dropped > maxBytes || System.nanoTime() - deadline > 0) {
                return -1;
            }
        }
        return dropped;
    }

    @Override
    public void destroy() {
    }
}
