package io.wasmiot.gateway.mdns.internal;

import io.wasmiot.lib.threads.NamedThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;
import io.wasmiot.gateway.mdns.transport.MdnsListener;
import io.wasmiot.gateway.mdns.transport.MdnsTransport;

/**
 * The {@code _webthing._tcp} discovery source: reads every mDNS datagram the transport receives
 * into a {@link ServiceCache}, tells the discovery core (through the {@link SourceSession} it opened
 * this {@link DiscoverySource} with) what is news
 * ({@link Reports}: new, moved, restarted or back after an expiry, and goodbyes, a TTL-0 record
 * only; an expired record is no goodbye, the health checks judge liveness), and asks the network for
 * what it lacks ({@link Asking}).
 *
 * <p>Its state is guarded by this object's monitor, held by the transport's receiving thread and
 * this source's own timer thread; the session is called with it held, so what the core hears keeps
 * the order of the wire. The core's calls ({@link #open}, {@link #requery}, {@link #forgotten}...,
 * maybe with a device's monitor held) only queue work for the timer thread, so the two never wait
 * for each other.
 */
@Component(service = {DiscoverySource.class, MetricsProvider.class, MdnsListener.class}, immediate = true)
public class WebthingBrowser implements DiscoverySource, MetricsProvider, MdnsListener {
    static final String SOURCE_ID = "mdns";
    private static final Logger LOG = LoggerFactory.getLogger(WebthingBrowser.class);
    private static final long EXPIRY_CHECK_MILLIS = 1000;

    private final int gatewayPort;
    private final ScheduledThreadPoolExecutor timer;
    private final ServiceCache cache = new ServiceCache();
    private final Reports reports = new Reports();
    private final Asking asking;
    private volatile MdnsTransport transport;
    private boolean closed;

    private final AtomicLong expired = new AtomicLong();
    private volatile int servicesKnown;

    @Activate
    public WebthingBrowser(BundleContext context) {
        this.gatewayPort = parsePort(context.getProperty("org.osgi.service.http.port"));
        this.timer = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-mdns-browser"));
        timer.setRemoveOnCancelPolicy(true);
        this.asking = new Asking(this::multicast, () -> cache.knownAnswers(System.nanoTime()), this::submitLater,
                System::nanoTime);
        timer.scheduleWithFixedDelay(this::expire, EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("mDNS: browsing {}", ServiceCache.SERVICE_TYPE);
    }

    /**
     * The transport is bound dynamically: it also binds this source (as a listener), and with a
     * static reference on this side SCR activated the two inside each other's binding and bound
     * nothing (2 of 8 lab gateways heard no datagram).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MdnsTransport newTransport) {
        transport = newTransport;
    }

    void unbindTransport(MdnsTransport oldTransport) {
        if (transport == oldTransport) {
            transport = null;
        }
    }

    // ---- DiscoverySource (called by the core: never waits for this source's monitor but in close) --

    @Override
    public String id() {
        return SOURCE_ID;
    }

    @Override
    public void open(SourceSession session) {
        submit(() -> {
            reports.session(session);
            reports.replay(cache);
        });
    }

    @Override
    public void close(SourceSession session) {
        synchronized (this) {
            if (reports.session() == session) {
                reports.session(null);
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("mDNS: browser stopped");
    }

    // ---- what the transport hands in ---------------------------------------------------------

    @Override
    public synchronized void received(Message message, InetSocketAddress sender) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        ServiceCache.Applied applied = cache.apply(message, sender.getPort() == 5353, now);
        for (ServiceCache.Instance gone : applied.goodbyes()) {
            asking.complete(gone.name);
            reports.said(gone);
        }
        for (ServiceCache.Instance instance : applied.touched()) {
            consider(instance, now);
        }
        MdnsTransport current = transport;
        for (Name probed : applied.probedUnknown()) {
            if (current != null && !current.isGatewayInstance(ServiceCache.label(probed))) {
                asking.askAfterProbe(probed);
            }
        }
        servicesKnown = cache.size();
    }

    private void consider(ServiceCache.Instance instance, long now) {
        if (isOwn(instance)) {
            return;
        }
        List<InetAddress> addresses = cache.addresses(instance);
        if (!instance.hasSrv() || (addresses.isEmpty() && !instance.txt.containsKey("address"))) {
            asking.askFor(instance.name, instance.hasSrv() ? instance.target : null);
            return;
        }
        asking.complete(instance.name);
        if (reports.consider(instance, addresses, now)) {
            asking.foundNew();
        }
    }

    @Override
    public void interfaceUp(InetAddress address) {
        submit(() -> {
            LOG.info("mDNS: asking for {} (interface {} is up)", ServiceCache.SERVICE_TYPE, address.getHostAddress());
            asking.browseFromNow();
        });
    }

    @Override
    public void requery() {
        submit(() -> {
            LOG.info("mDNS: re-querying {}", ServiceCache.SERVICE_TYPE);
            reports.rescan(cache);
            asking.browseFromNow();
        });
    }

    @Override
    public void forgetSightings() {
        submit(() -> {
            reports.forgetAll(cache);
            asking.browseFromNow();
        });
    }

    @Override
    public void forgotten(String name) {
        submit(() -> {
            ServiceCache.Instance instance = cache.instance(name);
            long backoff = reports.forgotten(instance);
            if (backoff >= 0) {
                // Asked again then: only an answer (it still advertises) makes it news.
                submitLater(() -> asking.askFor(instance.name, null), backoff);
            }
        });
    }

    // ---- with this object's monitor held -------------------------------------------------------

    private synchronized void expire() {
        if (closed) {
            return;
        }
        for (ServiceCache.Instance instance : cache.expire(System.nanoTime())) {
            if (instance.reported != null) {
                expired.incrementAndGet();
                LOG.info("mDNS: the records of {} expired with no goodbye; its health checks tell whether it is alive",
                        instance.label);
            }
        }
        servicesKnown = cache.size();
    }

    /**
     * The gateway never lists itself (docs/contract.md §2): its own name, whatever it was renamed to, another
     * gateway's under the same self name, or a service at the gateway's port on one of its addresses.
     */
    private boolean isOwn(ServiceCache.Instance instance) {
        MdnsTransport current = transport;
        if (current == null || current.isGatewayInstance(instance.label)) {
            return true; // no transport: nothing is received either
        }
        if (instance.port != gatewayPort) {
            return false;
        }
        Set<InetAddress> own = current.addresses();
        return cache.addresses(instance).stream().anyMatch(own::contains);
    }

    /** Asks the network, when there is a transport to ask through (it comes back with its interfaces). */
    private void multicast(Message query) {
        MdnsTransport current = transport;
        if (current != null) {
            current.multicast(query);
        }
    }

    // ---- metrics -------------------------------------------------------------------------------

    @Override
    public List<MetricSample> metrics() {
        return List.of(
                MetricSample.gauge("wasmiot_mdns_services", "Service instances the mDNS cache holds", servicesKnown),
                MetricSample.counter("wasmiot_mdns_services_found_total", "New services the mDNS browser reported",
                        reports.found.get()),
                MetricSample.counter("wasmiot_mdns_goodbyes_total", "mDNS goodbyes (TTL 0) of reported services",
                        reports.goodbyes.get()),
                MetricSample.counter("wasmiot_mdns_reannounced_total",
                        "Reported services that announced themselves again unchanged (a restart, a return)",
                        reports.reannounced.get()),
                MetricSample.counter("wasmiot_mdns_expired_total",
                        "Reported services whose records expired with no goodbye", expired.get()),
                MetricSample.counter("wasmiot_mdns_catchup_queries_total",
                        "Queries sent to catch what a burst of new services lost", asking.catchUpQueries.get()),
                MetricSample.gauge("wasmiot_mdns_catchup_pending",
                        "1 while a burst catch-up is running or waiting for its cool-down", asking.catchUpPending ? 1 : 0));
    }

    // ---- threads -------------------------------------------------------------------------------

    /** Runs {@code task} on the timer thread with this object's monitor held. */
    private void submit(Runnable task) {
        try {
            timer.execute(() -> {
                synchronized (this) {
                    if (!closed) {
                        task.run();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // deactivated meanwhile
        }
    }

    private ScheduledFuture<?> submitLater(Runnable task, long delayMillis) {
        try {
            return timer.schedule(() -> {
                synchronized (this) {
                    if (!closed) {
                        task.run();
                    }
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static int parsePort(String property) {
        try {
            return property == null ? 3000 : Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            return 3000;
        }
    }
}
