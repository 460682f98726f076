package io.wasmiot.gateway.standby.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

public class StartGateTest {
    private final AtomicReference<ServiceFactory<RequestLog>> registered = new AtomicReference<>();
    private final AtomicBoolean unregistered = new AtomicBoolean();

    /** A bundle context that keeps the service factory the gate registers. */
    @SuppressWarnings("unchecked")
    private BundleContext context() {
        ServiceRegistration<RequestLog> registration = (ServiceRegistration<RequestLog>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, m, args) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered.set(true);
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("registerService") && args[0] == RequestLog.class) {
                        registered.set((ServiceFactory<RequestLog>) args[1]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Jetty's request log tracker taking the log: Felix does it once its whiteboard is live. */
    private RequestLog jettyTakesTheLog() {
        return registered.get().getService(null, null);
    }

    private static Thread request(HttpConfiguration.Customizer customizer, AtomicBoolean through) {
        Thread thread = new Thread(() -> {
            customizer.customize(null, null);
            through.set(true);
        }, "test-request");
        thread.start();
        return thread;
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue("the request never waited: " + thread.getState(), System.nanoTime() < deadline && thread.isAlive());
            Thread.sleep(5);
        }
    }

    @Test
    public void aRequestWaitsUntilJettyTakesTheLogThenPassesUnchanged() throws Exception {
        StartGate gate = new StartGate(context());
        assertNotNull("the live sign is registered at activation", registered.get());
        AtomicBoolean through = new AtomicBoolean();
        Thread waiting = request(gate.createCustomizer(), through);
        awaitWaiting(waiting);
        assertFalse(through.get());

        assertNotNull(jettyTakesTheLog());
        waiting.join(10_000);
        assertTrue("let through once the whiteboard is live", through.get());
        // and from then on nobody waits, and the request goes on as it came
        Request request = (Request) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Request.class},
                (proxy, m, args) -> null);
        assertSame(request, gate.createCustomizer().customize(request, null));
        assertTrue(gate.isOpen());
    }

    @Test
    public void theSilentLogLogsNothing() {
        new StartGate(context());
        jettyTakesTheLog().log(null, null); // no request, no response: it must not touch them
    }

    @Test
    public void aGateThatNeverOpensLetsRequestsPassAfterItsBound() throws Exception {
        StartGate gate = new StartGate(context(), TimeUnit.MILLISECONDS.toNanos(50));
        AtomicBoolean through = new AtomicBoolean();
        request(gate.createCustomizer(), through).join(10_000);
        assertTrue(through.get());
        assertTrue("open for the requests that follow", gate.isOpen());
    }

    @Test
    public void anInterruptEndsTheWait() throws Exception {
        StartGate gate = new StartGate(context());
        AtomicBoolean through = new AtomicBoolean();
        Thread waiting = request(gate.createCustomizer(), through);
        awaitWaiting(waiting);
        waiting.interrupt();
        waiting.join(10_000);
        assertTrue(through.get());
        assertFalse("an interrupt (Jetty stopping) does not open the gate", gate.isOpen());
    }

    @Test
    public void deactivationUnregistersTheSignAndReleasesWaitingRequests() throws Exception {
        StartGate gate = new StartGate(context());
        AtomicBoolean through = new AtomicBoolean();
        Thread waiting = request(gate.createCustomizer(), through);
        awaitWaiting(waiting);
        gate.deactivate();
        waiting.join(10_000);
        assertTrue(through.get());
        assertTrue(unregistered.get());
        assertFalse(waiting.isAlive());
    }
}
