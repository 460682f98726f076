package io.wasmiot.gateway.mdns.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

import io.wasmiot.gateway.api.CapacityExceededException;
import io.wasmiot.gateway.api.Communication;
import io.wasmiot.gateway.api.DeviceBrowser;
import io.wasmiot.gateway.api.DeviceSource;
import io.wasmiot.gateway.api.MetricSample;
import io.wasmiot.gateway.api.MetricsProvider;
import io.wasmiot.gateway.api.Sighting;
import io.wasmiot.gateway.api.SightingSink;
import io.wasmiot.gateway.mdns.transport.MdnsListener;
import io.wasmiot.gateway.mdns.transport.MdnsTransport;

/**
 * The {@code _webthing._tcp} discovery source: reads every mDNS datagram the transport receives
 * into a {@link ServiceCache} and tells the {@link SightingSink} (the discovery core) what is news:
 * a new device, a device at another port or address, a device that announced itself again after a
 * restart or a long absence, and goodbyes (a TTL-0 record only; a record that expires is no
 * goodbye: the health checks judge liveness). It asks the network when an interface comes up and
 * again at doubling intervals, after a burst ({@link BurstCatchUp}), for instances it knows only in
 * part or only from their probes, when an operator asks, and before offering again a device the
 * core forgot ({@link ReofferBackoff}).
 *
 * <p>Its state is guarded by this object's monitor, held by the transport's receiving thread and
 * this source's own timer thread; the sink is called with it held, so what the core hears keeps
 * the order of the wire. The {@link DeviceBrowser} calls (made by the core, maybe with a device's
 * monitor held) only queue work for the timer thread, so the two never wait for each other.
 */
@Component(service = {DeviceBrowser.class, MetricsProvider.class, MdnsListener.class}, immediate = true)
public class WebthingBrowser implements DeviceBrowser, MetricsProvider, MdnsListener {
    private static final Logger LOG = LoggerFactory.getLogger(WebthingBrowser.class);
    private static final long EXPIRY_CHECK_MILLIS = 1000;
    static final long FIRST_BROWSE_INTERVAL_MILLIS = 1000;
    static final long MAX_BROWSE_INTERVAL_MILLIS = 3_600_000;

    private volatile MdnsTransport transport;
    private final int gatewayPort;
    private final ScheduledThreadPoolExecutor timer;
    private final ServiceCache cache = new ServiceCache();
    private final Resolution resolution;
    private final BurstCatchUp catchUp = new BurstCatchUp();
    private final ReofferBackoff reoffers = new ReofferBackoff();
    /** Records that cannot be used, with the reason already logged (logged again only when it changes). */
    private final Map<String, String> skipped = new HashMap<>();
    /** Devices the core refused for lack of room; offered again at the next re-query. */
    private final Set<String> refused = new HashSet<>();
    private final Set<String> goodbyesWhileNoSink = new HashSet<>();
    private ScheduledFuture<?> catchUpTimer;
    private ScheduledFuture<?> browseTimer;
    private long browseIntervalMillis = FIRST_BROWSE_INTERVAL_MILLIS;
    private SightingSink sink;
    private boolean closed;

    private final AtomicLong servicesFound = new AtomicLong();
    private final AtomicLong goodbyes = new AtomicLong();
    private final AtomicLong reannounced = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong catchUpQueries = new AtomicLong();
    private volatile int servicesKnown;
    private volatile boolean catchUpPending;

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

    @Activate
    public WebthingBrowser(BundleContext context) {
        this.gatewayPort = parsePort(context.getProperty("org.osgi.service.http.port"));
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "wasmiot-mdns-browser");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.resolution = new Resolution(this::multicast, this::submitLater);
        timer.scheduleWithFixedDelay(this::expire, EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("mDNS: browsing {}", ServiceCache.SERVICE_TYPE);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSink(SightingSink newSink) {
        submit(() -> {
            sink = newSink;
            replay();
        });
    }

    void unbindSink(SightingSink oldSink) {
        synchronized (this) {
            if (sink == oldSink) {
                sink = null;
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
            resolution.cancel(gone.name);
            said(gone);
        }
        for (ServiceCache.Instance instance : applied.touched()) {
            consider(instance, now);
        }
        for (org.xbill.DNS.Name probed : applied.probedUnknown()) {
            if (transport != null && !transport.isGatewayInstance(ServiceCache.label(probed))) {
                resolution.ask(probed, null, Resolution.AFTER_PROBE_MILLIS);
            }
        }
        servicesKnown = cache.size();
    }

    @Override
    public void interfaceUp(InetAddress address) {
        submit(() -> {
            LOG.info("mDNS: asking for {} (interface {} is up)", ServiceCache.SERVICE_TYPE, address.getHostAddress());
            browseFromNow();
        });
    }

    /**
     * Asks now, then again 1 s, 2 s, 4 s... later, up to once an hour (RFC 6762 §5.2): what a lossy
     * link lost of a device's probes and announcements, a later answer brings.
     */
    private void browseFromNow() {
        multicast(Resolution.browseQuery());
        browseIntervalMillis = FIRST_BROWSE_INTERVAL_MILLIS;
        scheduleBrowse();
    }

    private void scheduleBrowse() {
        if (browseTimer != null) {
            browseTimer.cancel(false);
        }
        browseTimer = submitLater(() -> {
            multicast(Resolution.browseQuery());
            browseIntervalMillis = Math.min(2 * browseIntervalMillis, MAX_BROWSE_INTERVAL_MILLIS);
            scheduleBrowse();
        }, browseIntervalMillis);
    }

    // ---- DeviceBrowser (called by the core: never waits for this source's monitor) -------------

    @Override
    public void requery() {
        submit(() -> {
            LOG.info("mDNS: re-querying {}", ServiceCache.SERVICE_TYPE);
            for (String name : refused) {
                ServiceCache.Instance instance = cache.instance(name);
                if (instance != null) {
                    instance.reported = null;
                }
            }
            refused.clear();
            browseFromNow();
        });
    }

    @Override
    public void forgetSightings() {
        submit(() -> {
            LOG.info("mDNS: forgetting {} sighting(s); devices still advertising will be reported again", reportedCount());
            for (ServiceCache.Instance instance : cache.instances()) {
                instance.reported = null;
            }
            skipped.clear();
            refused.clear();
            goodbyesWhileNoSink.clear();
            reoffers.clear();
            browseFromNow();
        });
    }

    @Override
    public void forgotten(String name) {
        submit(() -> {
            ServiceCache.Instance instance = cache.instance(name);
            if (instance == null || instance.reported == null) {
                return;
            }
            instance.reported = null;
            long backoff = reoffers.forgotten(name, System.nanoTime());
            LOG.info("mDNS: {} was forgotten; if it still advertises, it is reported again in {} s", name, backoff / 1000);
            // Asked again then: only an answer (it still advertises) makes it news.
            submitLater(() -> resolution.ask(instance.name, null), backoff);
        });
    }

    // ---- decisions (with this object's monitor held) -------------------------------------------

    /** An instance the wire just said something about: report it when that is news to the core. */
    private void consider(ServiceCache.Instance instance, long now) {
        String name = instance.label;
        if (isOwn(instance)) {
            return;
        }
        List<InetAddress> addresses = cache.addresses(instance);
        if (!instance.hasSrv() || (addresses.isEmpty() && !instance.txt.containsKey("address"))) {
            resolution.ask(instance.name, instance.hasSrv() ? instance.target : null);
            return;
        }
        resolution.cancel(instance.name);
        InstanceReader.Result result = InstanceReader.read(name, instance.port, addresses, instance.txt, Instant.now());
        if (result.sighting() == null) {
            if (!result.skipReason().equals(skipped.put(name, result.skipReason()))) {
                LOG.warn("mDNS: skipping service '{}': {}", printable(name), result.skipReason());
            }
            return;
        }
        skipped.remove(name);
        Communication communication = result.sighting().communication();
        Object previous = instance.reported;
        if (previous != null && previous.equals(communication) && !instance.news) {
            return; // the same device at the same place, said again
        }
        if (previous == null && !reoffers.mayReport(name, now)) {
            return; // forgotten not long ago: asked again after the back-off
        }
        if (refused.contains(name)) {
            return;
        }
        boolean isNew = previous == null;
        String what = isNew ? "found" : previous.equals(communication) ? "announced again" : "changed";
        instance.reported = communication;
        instance.news = false;
        goodbyesWhileNoSink.remove(name);
        if (isNew) {
            servicesFound.incrementAndGet();
            foundNew();
        } else if (previous.equals(communication)) {
            reannounced.incrementAndGet();
        }
        LOG.info("mDNS: {} {} at {} port {}", what, name, communication.addresses(), communication.port());
        deliver(instance, result.sighting());
    }

    private void said(ServiceCache.Instance gone) {
        skipped.remove(gone.label);
        reoffers.clear(gone.label);
        if (gone.reported == null) {
            return; // never reported: nothing to say goodbye to
        }
        goodbyes.incrementAndGet();
        LOG.info("mDNS: goodbye from {}", gone.label);
        if (sink == null) {
            goodbyesWhileNoSink.add(gone.label);
            return;
        }
        try {
            sink.goodbye(gone.label, DeviceSource.MDNS);
        } catch (RuntimeException e) {
            LOG.warn("mDNS: the discovery core failed on the goodbye of {}: {}", gone.label, e.toString());
        }
    }

    private void deliver(ServiceCache.Instance instance, Sighting sighting) {
        if (sink == null) {
            return; // replayed when a sink binds
        }
        try {
            sink.sighted(sighting);
        } catch (CapacityExceededException e) {
            refused.add(sighting.name()); // not offered again every time it speaks; a rescan offers it again
            LOG.warn("mDNS: skipped {}: {}", sighting.name(), e.getMessage());
        } catch (RuntimeException e) {
            instance.reported = null;
            LOG.warn("mDNS: the discovery core failed on {}: {}", sighting.name(), e.toString());
        }
    }

    private synchronized void replay() {
        if (sink == null || closed) {
            return;
        }
        LOG.info("mDNS: discovery core bound; replaying {} sighting(s) and {} goodbye(s)", reportedCount(),
                goodbyesWhileNoSink.size());
        for (String name : new ArrayList<>(goodbyesWhileNoSink)) {
            try {
                sink.goodbye(name, DeviceSource.MDNS);
            } catch (RuntimeException e) {
                LOG.warn("mDNS: the discovery core failed on the goodbye of {}: {}", name, e.toString());
            }
        }
        goodbyesWhileNoSink.clear();
        for (ServiceCache.Instance instance : cache.instances()) {
            if (instance.reported instanceof Communication communication && instance.hasSrv()) {
                deliver(instance, new Sighting(instance.label, communication, DeviceSource.MDNS, Instant.now()));
            }
        }
    }

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
     * The gateway never lists itself (SPEC §2): its own name, whatever it was renamed to, another
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

    // ---- catch-up after a burst ----------------------------------------------------------------

    /** A new service was found: after a burst, query again once the network is quiet. */
    private void foundNew() {
        if (!catchUp.found()) {
            return;
        }
        if (catchUpTimer != null) {
            catchUpTimer.cancel(false);
        }
        catchUpTimer = submitLater(this::burstQuiet, BurstCatchUp.QUIET_MILLIS);
        catchUpPending = true;
    }

    private synchronized void burstQuiet() {
        catchUpTimer = null;
        catchUpPending = false;
        switch (catchUp.quiet(System.nanoTime())) {
            case QUERY -> {
                LOG.info("mDNS: burst of new services; querying again to catch what the burst lost (round {})",
                        catchUp.rounds());
                catchUpQueries.incrementAndGet();
                catchUpPending = true;
                multicast(Resolution.browseQuery());
                catchUpTimer = submitLater(this::burstQuiet, BurstCatchUp.QUIET_MILLIS);
            }
            case WAIT -> {
                catchUpPending = true;
                catchUpTimer = submitLater(this::burstQuiet, catchUp.waitMillis());
            }
            case DONE -> { }
        }
    }

    // ---- metrics -------------------------------------------------------------------------------

    @Override
    public List<MetricSample> metrics() {
        return List.of(
                MetricSample.gauge("wasmiot_mdns_services", "Service instances the mDNS cache holds", servicesKnown),
                MetricSample.counter("wasmiot_mdns_services_found_total", "New services the mDNS browser reported",
                        servicesFound.get()),
                MetricSample.counter("wasmiot_mdns_goodbyes_total", "mDNS goodbyes (TTL 0) of reported services",
                        goodbyes.get()),
                MetricSample.counter("wasmiot_mdns_reannounced_total",
                        "Reported services that announced themselves again unchanged (a restart, a return)",
                        reannounced.get()),
                MetricSample.counter("wasmiot_mdns_expired_total",
                        "Reported services whose records expired with no goodbye", expired.get()),
                MetricSample.counter("wasmiot_mdns_catchup_queries_total",
                        "Queries sent to catch what a burst of new services lost", catchUpQueries.get()),
                MetricSample.gauge("wasmiot_mdns_catchup_pending",
                        "1 while a burst catch-up is running or waiting for its cool-down", catchUpPending ? 1 : 0));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Asks the network, when there is a transport to ask through (it comes back with its interfaces). */
    private void multicast(Message query) {
        MdnsTransport current = transport;
        if (current != null) {
            current.multicast(query);
        }
    }

    private int reportedCount() {
        int count = 0;
        for (ServiceCache.Instance instance : cache.instances()) {
            if (instance.reported != null) {
                count++;
            }
        }
        return count;
    }

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

    /** Device names come from the network: keep log lines on one line. */
    private static String printable(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
    }
}
