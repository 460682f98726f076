package io.wasmiot.gateway.standby.internal;

import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.http.jetty.LoadBalancerCustomizerFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.RequestLog;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the requests Jetty accepts before the servlet whiteboard serves anything, until it does.
 *
 * <p>Felix HTTP Jetty 12 (1.1.8) opens its port, then starts the whiteboard: it registers every
 * servlet already there (the REST servlets, the standby, the JSON error page: they start before
 * Jetty) and only then dispatches to them. Meanwhile (most of it the device store opening when the
 * first REST servlet binds it; docs/notes-code.md) its dispatcher answers Jetty's HTML {@code 404}
 * to everything. No servlet, filter or error page can answer then; a connection customizer can, and
 * Felix installs one before the port opens: {@link LoadBalancerCustomizerFactory} (needs
 * {@code org.apache.felix.proxy.load.balancer.connection.enable=true}). This one makes each request
 * wait, before Jetty handles it, until the whiteboard is live, then lets it through unchanged: the
 * first connection accepted gets the standby's {@code 503} or the API's answer, never the HTML page.
 *
 * <p>The sign that the whiteboard is live: Felix opens its request log tracker right after the
 * whiteboard has started, so the moment Jetty takes the (silent) {@link RequestLog} registered here
 * comes after. If the standby starts after Jetty, Jetty takes it at once and nothing ever waits.
 * A request waits at most {@link #MAX_WAIT_SECONDS} (then it passes, with a warning: an operator's
 * {@code org.apache.felix.http.requestlog.filter} that excludes this log would otherwise hold every
 * request) and never past an interrupt (Jetty stopping).
 */
@Component(service = LoadBalancerCustomizerFactory.class, immediate = true)
public class StartGate implements LoadBalancerCustomizerFactory {
    static final long MAX_WAIT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(StartGate.class);
    /** Logs nothing: only Jetty taking it counts. */
    private static final RequestLog SILENT = (request, response) -> { };

    private final CountDownLatch live = new CountDownLatch(1);
    private final AtomicBoolean warned = new AtomicBoolean();
    private final long maxWaitNanos;
    private final ServiceRegistration<RequestLog> liveSign;

    @Activate
    public StartGate(BundleContext context) {
        this(context, TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS));
    }

    StartGate(BundleContext context, long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("service.description", "WasmIoT start gate: opens when Jetty's request log tracker takes it");
        // Registered before the customizer factory (DS registers that after this constructor), so a
        // standby started after Jetty is open before any request can reach its customizer.
        this.liveSign = context.registerService(RequestLog.class, new ServiceFactory<>() {
            @Override
            public RequestLog getService(Bundle bundle, ServiceRegistration<RequestLog> registration) {
                open();
                return SILENT;
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<RequestLog> registration, RequestLog service) {
                // Once open, open for good: Jetty takes it again when it restarts.
            }
        }, properties);
    }

    @Deactivate
    void deactivate() {
        try {
            liveSign.unregister();
        } catch (IllegalStateException e) {
            // the framework is stopping and unregistered it already
        }
        open(); // nobody waits for a gate that is going away
    }

    void open() {
        live.countDown();
    }

    boolean isOpen() {
        return live.getCount() == 0;
    }

    @Override
    public HttpConfiguration.Customizer createCustomizer() {
        return (request, responseHeaders) -> {
            awaitOpen();
            return request;
        };
    }

    /** Waits until the whiteboard is live, at most the bound; an interrupt ends the wait at once. */
    void awaitOpen() {
        if (isOpen()) {
            return;
        }
        try {
            if (!live.await(maxWaitNanos, TimeUnit.NANOSECONDS) && warned.compareAndSet(false, true)) {
                LOG.warn("Start gate: the HTTP whiteboard did not come up within {} s; requests pass without waiting "
                        + "(Jetty may answer them with its own 404 page)", TimeUnit.NANOSECONDS.toSeconds(maxWaitNanos));
                open();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
