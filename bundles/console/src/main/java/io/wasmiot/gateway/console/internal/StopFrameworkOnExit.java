package io.wasmiot.gateway.console.internal;

import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework when the JVM is asked to exit (SIGTERM from systemd or an operator, Ctrl-C),
 * so that every bundle deactivates: the gateway's mDNS goodbye goes out, leases are released and
 * the store is closed. Neither Felix nor the bnd launcher does this: without it a SIGTERM ended the
 * JVM in half a second with no bundle stopped.
 */
@Component(immediate = true)
public final class StopFrameworkOnExit {
    private static final Logger LOG = LoggerFactory.getLogger(StopFrameworkOnExit.class);
    /** Under the service unit's TimeoutStopSec (30 s), after which systemd kills the JVM. */
    static final long STOP_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(20);

    private final Thread hook;

    @Activate
    public StopFrameworkOnExit(BundleContext context) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.hook = new Thread(() -> stop(system, STOP_TIMEOUT_MILLIS), "wasmiot-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: this hook is what stops us
        }
    }

    /** Stops {@code system} and waits at most {@code timeoutMillis} for every bundle to stop. */
    static void stop(Bundle system, long timeoutMillis) {
        if ((system.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return; // already stopping or stopped: the JVM exits because the framework ended
        }
        LOG.info("Exit requested (SIGTERM or Ctrl-C): stopping every bundle (at most {} s)", timeoutMillis / 1000);
        long start = System.nanoTime();
        try {
            system.stop();
            if (system instanceof Framework framework) {
                FrameworkEvent event = framework.waitForStop(timeoutMillis);
                if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("Exit: the bundles did not stop within {} s; exiting anyway", timeoutMillis / 1000);
                    return;
                }
            }
            LOG.info("Exit: every bundle stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (BundleException e) {
            LOG.warn("Exit: could not stop the framework: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
