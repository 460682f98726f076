package io.wasmiot.gateway.mdns.internal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.CapacityExceededException;
import io.wasmiot.gateway.api.DeviceBrowser;
import io.wasmiot.gateway.api.DeviceSource;
import io.wasmiot.gateway.api.MetricSample;
import io.wasmiot.gateway.api.MetricsProvider;
import io.wasmiot.gateway.api.Sighting;
import io.wasmiot.gateway.api.SightingSink;

/**
 * Browses {@code _webthing._tcp.local.} continuously with one JmDNS per interface address and hands
 * settled sightings and goodbyes to the {@link SightingSink} (the discovery core). It keeps browsing
 * while no sink is bound and replays what it knows when one binds, so the core can be swapped.
 *
 * <p>All of its state is touched only on its single scheduler thread ({@code wasmiot-mdns-1});
 * jmdns callbacks just hand events over.
 */
@Component(service = {DeviceBrowser.class, MetricsProvider.class}, immediate = true, configurationPid = MdnsConfig.PID)
@Designate(ocd = MdnsConfig.class)
public class MdnsBrowser implements DeviceBrowser, MetricsProvider {
    static final String SERVICE_TYPE = "_webthing._tcp.local.";
    private static final Logger LOG = LoggerFactory.getLogger(MdnsBrowser.class);
    /**
     * How often the cache is read back. jmdns applies goodbyes (TTL 0, expiring 1 s later) only
     * when it cleans its cache, on its own every 10 s; {@code JmDNS.list} cleans it first, so a
     * read every second brings goodbyes to us within about 2 s. The same read is the replay of
     * services still advertising after the sightings were forgotten, and a safety net for any
     * event jmdns did not deliver.
     */
    private static final long CACHE_READ_MILLIS = 1000;
    /** The jmdns socket's receive buffer asked of the kernel ({@link #enlargeReceiveBuffer}). */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final MdnsConfig config;
    private final int gatewayPort;
    private final ScheduledExecutorService executor;
    /** Reads the jmdns caches; JmDNS.list blocks up to 200 ms, so not on the state thread. */
    private final ScheduledExecutorService cacheReader;
    private final ServiceListener listener = new Listener();
    /** The open instances, for the cache reader (the state thread owns {@link #instances}). */
    private final List<JmDNS> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    // Scheduler-thread state.
    private final Map<InetAddress, JmDNS> instances = new HashMap<>();
    /** The gateway's own advertisements; jmdns renames one ("orchestrator (2)") when the name is taken. */
    private final Map<JmDNS, ServiceInfo> ownServices = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Sighting> known = new HashMap<>();
    private final SettleWindows settling;
    private final Set<String> goodbyesWhileNoSink = new HashSet<>();
    /** Records that cannot be used, with the reason already logged (logged again only when it changes). */
    private final Map<String, String> skipped = new HashMap<>();
    /** Devices the core refused for lack of room; offered again at the next re-query. */
    private final Set<String> refused = new HashSet<>();
    private final BurstCatchUp catchUp = new BurstCatchUp();
    private final ReofferBackoff reoffers = new ReofferBackoff();
    private ScheduledFuture<?> catchUpTimer;

    // Metrics: written on the state thread, read by GET /metrics.
    private volatile int servicesKnown;
    private volatile boolean catchUpPending;
    private final java.util.concurrent.atomic.AtomicLong servicesFound = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong goodbyes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong catchUpQueries = new java.util.concurrent.atomic.AtomicLong();

    private volatile SightingSink sink;
    private volatile boolean closed;

    @Activate
    public MdnsBrowser(MdnsConfig config, BundleContext context) {
        this.config = config;
        this.gatewayPort = parsePort(context.getProperty("org.osgi.service.http.port"));
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                task -> new Thread(task, "wasmiot-mdns-" + threads.incrementAndGet()));
        scheduler.setRemoveOnCancelPolicy(true);
        this.executor = scheduler;
        this.settling = new SettleWindows(scheduler, config.settleMillis(), known::containsKey, this::act);
        this.cacheReader = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "wasmiot-mdns-cache"));
        executor.execute(this::syncInstances);
        executor.scheduleWithFixedDelay(this::syncInstances, config.interfaceCheckSeconds(),
                config.interfaceCheckSeconds(), TimeUnit.SECONDS);
        cacheReader.scheduleWithFixedDelay(this::readCaches, CACHE_READ_MILLIS, CACHE_READ_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSink(SightingSink newSink) {
        this.sink = newSink;
        submit(() -> replayTo(newSink));
    }

    void unbindSink(SightingSink oldSink) {
        if (this.sink == oldSink) {
            this.sink = null;
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        executor.shutdownNow();
        cacheReader.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
            cacheReader.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // jmdns takes about 2 s to close (it repeats the goodbye of our own advertisement, then
        // waits for its tasks). Waiting here would hold a bundle update that long: each instance
        // closes on a thread of its own, which ends by itself when jmdns is done.
        for (JmDNS jmdns : instances.values()) {
            closeInBackground(jmdns);
        }
        instances.clear();
        LOG.info("mDNS browser stopped (jmdns closing in the background)");
    }

    @Override
    public List<MetricSample> metrics() {
        return List.of(
                MetricSample.gauge("wasmiot_mdns_services", "Services the mDNS browser has reported and not seen leave",
                        servicesKnown),
                MetricSample.counter("wasmiot_mdns_services_found_total", "New services the mDNS browser reported",
                        servicesFound.get()),
                MetricSample.counter("wasmiot_mdns_goodbyes_total", "mDNS goodbyes of reported services",
                        goodbyes.get()),
                MetricSample.counter("wasmiot_mdns_catchup_queries_total",
                        "Queries sent to catch what a burst of new services lost", catchUpQueries.get()),
                MetricSample.gauge("wasmiot_mdns_catchup_pending",
                        "1 while a burst catch-up is running or waiting for its cool-down", catchUpPending ? 1 : 0));
    }

    @Override
    public void requery() {
        submit(() -> {
            LOG.info("mDNS: re-querying {} on {} interface address(es)", SERVICE_TYPE, instances.size());
            refused.forEach(known::remove);
            servicesKnown = known.size();
            refused.clear();
            queryAgain();
        });
    }

    /** Makes every jmdns instance ask the network for the service type again. State thread only. */
    private void queryAgain() {
        for (JmDNS jmdns : instances.values()) {
            // Same listener object: re-adding it never doubles the browsers (a reference defect).
            jmdns.removeServiceListener(SERVICE_TYPE, listener);
            jmdns.addServiceListener(SERVICE_TYPE, listener);
        }
    }

    /** A new service was found: after a burst, query again once the network is quiet. State thread only. */
    private void foundNew() {
        if (!catchUp.found()) {
            return;
        }
        if (catchUpTimer != null) {
            catchUpTimer.cancel(false);
        }
        catchUpTimer = executor.schedule(this::burstQuiet, BurstCatchUp.QUIET_MILLIS, TimeUnit.MILLISECONDS);
        catchUpPending = true;
    }

    private void burstQuiet() {
        catchUpTimer = null;
        catchUpPending = false;
        switch (catchUp.quiet(System.nanoTime())) {
            case QUERY -> {
                LOG.info("mDNS: burst of new services; querying again to catch what the burst lost (round {})",
                        catchUp.rounds());
                catchUpQueries.incrementAndGet();
                catchUpPending = true;
                queryAgain();
                catchUpTimer = executor.schedule(this::burstQuiet, BurstCatchUp.QUIET_MILLIS, TimeUnit.MILLISECONDS);
            }
            case WAIT -> {
                LOG.debug("mDNS: catch-up waiting {} ms (cool-down, or answers to its query)", catchUp.waitMillis());
                catchUpPending = true;
                catchUpTimer = executor.schedule(this::burstQuiet, catchUp.waitMillis(), TimeUnit.MILLISECONDS);
            }
            case DONE -> { }
        }
    }

    @Override
    public void forgetSightings() {
        submit(() -> {
            LOG.info("mDNS: forgetting {} sighting(s); devices still advertising will be reported again", known.size());
            known.clear();
            servicesKnown = 0;
            skipped.clear();
            refused.clear();
            goodbyesWhileNoSink.clear();
            reoffers.clear();
        });
        requery();
    }

    @Override
    public void forgotten(String name) {
        submit(() -> {
            if (known.remove(name) != null) {
                servicesKnown = known.size();
                long backoff = reoffers.forgotten(name, System.nanoTime());
                LOG.info("mDNS: {} was forgotten; if it still advertises, it is reported again in {} s", name,
                        backoff / 1000);
            }
        });
    }

    private void submit(Runnable task) {
        if (!closed) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                // deactivated meanwhile (DS may bind the sink while this instance stops): nothing to do
            }
        }
    }

    // ---- interfaces ------------------------------------------------------------------------

    private void syncInstances() {
        Set<InetAddress> wanted = wantedAddresses();
        for (InetAddress gone : new ArrayList<>(instances.keySet())) {
            if (!wanted.contains(gone)) {
                LOG.info("mDNS: interface address {} went away; closing its browser", gone.getHostAddress());
                closeInBackground(instances.remove(gone));
            }
        }
        for (InetAddress address : wanted) {
            if (!instances.containsKey(address) && !closed) {
                open(address);
            }
        }
    }

    private Set<InetAddress> wantedAddresses() {
        Set<String> named = new HashSet<>(List.of(config.interfaces()));
        named.removeIf(String::isBlank);
        Set<InetAddress> addresses = new LinkedHashSet<>();
        InetAddress loopback = null;
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || !nic.supportsMulticast() || (!named.isEmpty() && !named.contains(nic.getName()))) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (!(address instanceof Inet4Address)) {
                        continue;
                    }
                    if (nic.isLoopback()) {
                        loopback = address;
                        if (named.contains(nic.getName())) {
                            addresses.add(address);
                        }
                    } else if (!nic.isPointToPoint()) {
                        addresses.add(address);
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("mDNS: cannot list network interfaces: {}", e.getMessage());
            return new HashSet<>(instances.keySet());
        }
        if (addresses.isEmpty() && loopback != null && named.isEmpty()) {
            addresses.add(loopback); // no other interface: the loopback-only test set-up
        }
        return addresses;
    }

    private void open(InetAddress address) {
        try {
            JmDNS jmdns = JmDNS.create(address, hostName());
            DatagramSocket socket = socketOf(jmdns, address);
            if (socket != null) {
                enlargeReceiveBuffer(socket, address);
            }
            instances.put(address, jmdns);
            open.add(jmdns);
            jmdns.addServiceListener(SERVICE_TYPE, listener);
            if (socket != null) {
                queryNow(socket, address);
            }
            if (config.advertiseSelf()) {
                Map<String, String> txt = Map.of("path", "/", "tls", "0", "address", address.getHostAddress());
                ServiceInfo own = ServiceInfo.create(SERVICE_TYPE, config.selfName(), gatewayPort, 0, 0, txt);
                ownServices.put(jmdns, own);
                jmdns.registerService(own);
            }
            LOG.info("mDNS: browsing {} on {}{}", SERVICE_TYPE, address.getHostAddress(),
                    config.advertiseSelf() ? ", advertising " + config.selfName() + " on port " + gatewayPort : "");
        } catch (IOException e) {
            LOG.warn("mDNS: cannot open jmdns on {}: {}", address.getHostAddress(), e.getMessage());
        }
    }

    /**
     * jmdns's socket, through the public JmDNSImpl.getSocket(), whose package the jmdns bundle does
     * not export, hence reflection; {@code null} (logged at DEBUG) if that fails: the browser works
     * without what the socket is used for here.
     */
    private static DatagramSocket socketOf(JmDNS jmdns, InetAddress address) {
        try {
            Object socket = jmdns.getClass().getMethod("getSocket").invoke(jmdns);
            if (socket instanceof DatagramSocket datagrams) {
                return datagrams;
            }
            LOG.debug("mDNS: jmdns on {} has no datagram socket: {}", address.getHostAddress(), socket);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("mDNS: cannot reach jmdns's socket on {}: {}", address.getHostAddress(), e.toString());
        }
        return null;
    }

    /**
     * jmdns reads its socket on one thread; in a burst (or the answer storm to a catch-up query) the
     * kernel's default buffer (net.core.rmem_default, 208 KiB) overflows and announcements are lost
     * (2,000 devices: ~3,400 datagrams dropped at the gateway's socket, docs/benchmarks.md). jmdns has
     * no setting for it. The kernel caps the size at net.core.rmem_max.
     */
    private static void enlargeReceiveBuffer(DatagramSocket socket, InetAddress address) {
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
            int granted = socket.getReceiveBufferSize(); // capped by the kernel
            if (granted < RECEIVE_BUFFER_BYTES) {
                LOG.info("mDNS: the kernel gives the socket on {} a {} byte receive buffer, not {} "
                        + "(net.core.rmem_max): bursts of hundreds of devices lose more announcements",
                        address.getHostAddress(), granted, RECEIVE_BUFFER_BYTES);
            } else {
                LOG.debug("mDNS: receive buffer on {}: {} bytes", address.getHostAddress(), granted);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("mDNS: cannot size the receive buffer on {}: {}", address.getHostAddress(), e.toString());
        }
    }

    /** Asks for devices already advertising at once, not 225 ms later ({@link BrowseQuery}). */
    private static void queryNow(DatagramSocket socket, InetAddress address) {
        try {
            BrowseQuery.send(socket, SERVICE_TYPE);
        } catch (IOException | RuntimeException e) {
            LOG.debug("mDNS: the first browse query on {} failed ({}); jmdns's own follows", address.getHostAddress(),
                    e.toString());
        }
    }

    private void closeInBackground(JmDNS jmdns) {
        open.remove(jmdns);
        ownServices.remove(jmdns);
        jmdns.removeServiceListener(SERVICE_TYPE, listener);
        Thread closer = new Thread(() -> {
            try {
                jmdns.close();
                LOG.debug("mDNS: jmdns on {} closed", jmdns.getName());
            } catch (IOException | RuntimeException e) {
                LOG.debug("mDNS: closing jmdns failed: {}", e.getMessage());
            }
        }, "wasmiot-mdns-close");
        closer.start();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "wasmiot-gateway";
        }
    }

    // ---- services --------------------------------------------------------------------------

    private final class Listener implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info != null && info.hasData()) {
                submit(() -> settle(info));
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info != null) {
                submit(() -> settle(info));
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            String name = event.getName();
            submit(() -> removed(name));
        }
    }

    private void readCaches() {
        for (JmDNS jmdns : open) {
            try {
                ServiceInfo[] cached = jmdns.list(SERVICE_TYPE, 200);
                submit(() -> reconcile(cached));
            } catch (RuntimeException e) {
                LOG.debug("mDNS: reading the cache failed: {}", e.toString());
            }
        }
    }

    /** Services in the cache that we do not know as they are: settle them as if jmdns had reported them. */
    private void reconcile(ServiceInfo[] cached) {
        Instant now = Instant.now();
        for (ServiceInfo info : cached) {
            String name = info.getName();
            if (isOwn(info) || settling.isOpen(name) || !info.hasData()) {
                continue;
            }
            ServiceInfoReader.Result result = ServiceInfoReader.read(info, now);
            Sighting previous = known.get(name);
            boolean changed = result.sighting() != null
                    ? previous == null || !previous.communication().equals(result.sighting().communication())
                    : !result.skipReason().equals(skipped.get(name));
            if (changed) {
                settle(info);
            }
        }
    }

    /** Hands the info to its name's settle window ({@link SettleWindows}), unless it is our own. */
    private void settle(ServiceInfo info) {
        if (!isOwn(info)) {
            settling.event(info);
        }
    }

    /**
     * The gateway never lists itself (SPEC §2): its own name, whatever jmdns renamed its
     * advertisement to, or a service at the gateway's port on one of its own addresses. Nor another
     * gateway advertising the same name on the network ("orchestrator (2)" once jmdns resolved the
     * clash): gateways sharing one database would otherwise list each other, and so themselves.
     */
    private boolean isOwn(ServiceInfo info) {
        String name = info.getName();
        if (isGatewayName(name, config.selfName())) {
            return true;
        }
        for (ServiceInfo own : ownServices.values()) {
            if (own.getName().equals(name)) {
                return true;
            }
        }
        if (info.getPort() == gatewayPort) {
            for (InetAddress address : info.getInet4Addresses()) {
                if (instances.containsKey(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code selfName}, or the name jmdns gives a second advertiser of it: {@code selfName (N)}. */
    static boolean isGatewayName(String name, String selfName) {
        if (name.equals(selfName)) {
            return true;
        }
        return name.startsWith(selfName + " (") && name.endsWith(")")
                && name.substring(selfName.length() + 2, name.length() - 1).matches("[0-9]{1,4}");
    }

    /** Reports the service as a sighting unless it is unusable or known as it is. @return whether it was reported */
    private boolean act(String name, ServiceInfo info) {
        ServiceInfoReader.Result result = ServiceInfoReader.read(info, Instant.now());
        if (result.sighting() == null) {
            if (!result.skipReason().equals(skipped.put(name, result.skipReason()))) {
                LOG.warn("mDNS: skipping service '{}': {}", printable(name), result.skipReason());
            }
            return false;
        }
        skipped.remove(name);
        Sighting sighting = result.sighting();
        Sighting previous = known.get(name);
        if (previous != null && previous.communication().equals(sighting.communication())) {
            return false; // the same service reported again
        }
        if (previous == null && !reoffers.mayReport(name, System.nanoTime())) {
            return false; // forgotten not long ago: the cache read-back offers it again after the back-off
        }
        known.put(name, sighting);
        servicesKnown = known.size();
        goodbyesWhileNoSink.remove(name);
        if (previous == null) {
            servicesFound.incrementAndGet();
            foundNew();
        }
        LOG.info("mDNS: {} {} at {} port {}", previous == null ? "found" : "changed", name,
                sighting.communication().addresses(), sighting.communication().port());
        deliver(sighting);
        return true;
    }

    private void removed(String name) {
        settling.cancel(name);
        skipped.remove(name);
        reoffers.clear(name);
        if (known.remove(name) == null) {
            return; // never reported: nothing to say goodbye to
        }
        servicesKnown = known.size();
        goodbyes.incrementAndGet();
        LOG.info("mDNS: goodbye from {}", name);
        SightingSink current = sink;
        if (current == null) {
            goodbyesWhileNoSink.add(name);
            return;
        }
        try {
            current.goodbye(name, DeviceSource.MDNS);
        } catch (RuntimeException e) {
            LOG.warn("mDNS: the discovery core failed on the goodbye of {}: {}", name, e.toString());
        }
    }

    private void deliver(Sighting sighting) {
        SightingSink current = sink;
        if (current == null) {
            return; // replayed when a sink binds
        }
        try {
            current.sighted(sighting);
        } catch (CapacityExceededException e) {
            // Kept as known, so it is not offered again every second; a rescan offers it again.
            refused.add(sighting.name());
            LOG.warn("mDNS: skipped {}: {}", sighting.name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("mDNS: the discovery core failed on {}: {}", sighting.name(), e.toString());
        }
    }

    private void replayTo(SightingSink newSink) {
        if (sink != newSink) {
            return;
        }
        LOG.info("mDNS: discovery core bound; replaying {} sighting(s) and {} goodbye(s)", known.size(),
                goodbyesWhileNoSink.size());
        for (String name : new ArrayList<>(goodbyesWhileNoSink)) {
            try {
                newSink.goodbye(name, DeviceSource.MDNS);
            } catch (RuntimeException e) {
                LOG.warn("mDNS: the discovery core failed on the goodbye of {}: {}", name, e.toString());
            }
        }
        goodbyesWhileNoSink.clear();
        for (Sighting sighting : new ArrayList<>(known.values())) {
            deliver(sighting);
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
