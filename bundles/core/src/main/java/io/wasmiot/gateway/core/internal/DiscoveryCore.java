package io.wasmiot.gateway.core.internal;

import io.wasmiot.lib.threads.NamedThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.CapacityExceededException;
import io.wasmiot.gateway.api.Device;
import io.wasmiot.gateway.api.DeviceEventType;
import io.wasmiot.gateway.api.DeviceEvents;
import io.wasmiot.gateway.api.DeviceLeases;
import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.DeviceStatus;
import io.wasmiot.gateway.api.DeviceStore;
import io.wasmiot.gateway.api.DiscoveryControl;
import io.wasmiot.gateway.api.Health;
import io.wasmiot.gateway.api.LeaseRound;
import io.wasmiot.gateway.api.MetricSample;
import io.wasmiot.gateway.api.MetricsProvider;
import io.wasmiot.gateway.api.ProbeResult;
import io.wasmiot.gateway.api.Sighting;
import io.wasmiot.gateway.api.StoreException;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.DiscoverySourceActivity;
import io.wasmiot.gateway.api.source.SessionActivity;

/**
 * The device lifecycle (docs/contract.md §3-§5): the only code that decides. Sightings start introductions;
 * a sweep every health interval checks every listed device this gateway owns (leases, shared with
 * the other gateways on the same store); counters and status are written to the store with each
 * check (in batches, {@link StoreWriter}), so a new core (after an update or a restart, here or on
 * another gateway) continues where the old one stopped. Events go to EventAdmin. Sightings come from
 * every {@link DiscoverySource} bound, each opened with a session of its own ({@link DiscoverySources}).
 */
@Component(service = {DiscoveryControl.class, MetricsProvider.class, DiscoverySourceActivity.class}, immediate = true,
        configurationPid = DiscoveryConfig.PID)
// No @Designate: it takes one PID; DiscoveryConfig designates its own PID (ObjectClassDefinition.pid).
public class DiscoveryCore implements DiscoveryControl, MetricsProvider, DiscoverySourceActivity {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryCore.class);
    private static final String PROBER_STOPPED = "prober stopped";
    /** A lease lasts this many health intervals: a sweep that runs late does not lose it. */
    static final int LEASE_INTERVALS = 3;
    private static final Comparator<DeviceEntry> SWEEP_ORDER = Comparator.comparing(entry -> entry.device.id());

    private final DeviceStore store;
    private final DeviceLeases leases;
    private final String gatewayId;
    private final StoreWriter writer;
    private final ScheduledThreadPoolExecutor writes;
    /** Optional and dynamic: a prober update or reconfiguration must not restart the lifecycle. */
    private volatile DeviceProber prober;
    /** Introductions due while no prober was bound (at start, or while one is updated), with the task resuming each. */
    private final Map<DeviceEntry, Runnable> awaitingProber = new ConcurrentHashMap<>();
    private final int gatewayPort;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, DeviceEntry> entries = new ConcurrentHashMap<>();
    /** Every bound discovery source, opened with a session of its own (multiple, dynamic). */
    private final DiscoverySources sources = new DiscoverySources(this::sighted, this::goodbye);
    private volatile EventAdmin eventAdmin;
    private volatile DiscoveryConfig config;
    private volatile HealthRules rules;
    private volatile String publicBaseUrl;
    /** The host of the public URL, sent as X-Forwarded-For with every check. */
    private volatile String forwardedFor;
    private volatile boolean closed;
    /** Guards the sweep schedule: the sweep thread and a configuration change both move it. */
    private final Object sweepSchedule = new Object();
    private java.util.concurrent.ScheduledFuture<?> nextSweep;
    private long lastSweepStartNanos = System.nanoTime();

    private final AtomicLong descriptionQueries = new AtomicLong();
    private final AtomicLong descriptionFailures = new AtomicLong();
    private final AtomicLong healthChecks = new AtomicLong();
    private final AtomicLong healthFailures = new AtomicLong();
    private final AtomicLong healthSecondsTotalMicros = new AtomicLong();
    private final AtomicLong forgotten = new AtomicLong();
    private final AtomicLong brakes = new AtomicLong();
    private final AtomicLong sweeps = new AtomicLong();
    private volatile double lastSweepSeconds;
    /** When the last sweep started (epoch millis; 0 before the first), and its outcome: for health checks. */
    private volatile long lastSweepStartMillis;
    private volatile int lastSweepChecked;
    private volatile int lastSweepFailed;
    /** The last lease round; {@code null} before the first. */
    private volatile LeaseRound lastRound;

    @Activate
    public DiscoveryCore(DiscoveryConfig config, BundleContext context,
                         @Reference DeviceStore store, @Reference DeviceLeases leases) {
        this.store = store;
        this.leases = leases;
        this.gatewayId = leases.gatewayId();
        this.gatewayPort = parsePort(context.getProperty("org.osgi.service.http.port"));
        this.executor = new ScheduledThreadPoolExecutor(2, NamedThreadFactory.numbered("wasmiot-core"));
        executor.setRemoveOnCancelPolicy(true);
        // The store's writes on a thread of their own: a batch waits on the database, and the core's
        // threads must start the sweep's checks on time (docs/notes-mdns-intake.md).
        this.writes = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-core-store"));
        this.writer = new StoreWriter(store, writes, executor);
        apply(config);
        List<Device> stored = store.findAll();
        for (Device device : stored) {
            entries.put(device.name(), DeviceEntry.listed(device));
        }
        LOG.info("Discovery core started as gateway {}: {} device(s) in the store; health every {} s; public URL {}",
                gatewayId, stored.size(), this.config.healthInterval(), publicBaseUrl);
        executor.execute(this::sweep);
    }

    @Modified
    void modified(DiscoveryConfig raw) {
        int oldInterval = config.healthInterval();
        apply(raw);
        DiscoveryConfig newConfig = config;
        if (newConfig.healthInterval() != oldInterval) {
            rescheduleSweep();
        }
        LOG.info("Discovery configuration changed: health every {} s, inactive after {} failures, active after {} "
                        + "successes, forget after {} s, goodbye grace {} s; public URL {}",
                newConfig.healthInterval(), newConfig.failuresBeforeInactive(), newConfig.successesBeforeActive(),
                newConfig.forgetAfter(), newConfig.goodbyeGrace(), publicBaseUrl);
    }

    private void apply(DiscoveryConfig raw) {
        DiscoveryConfig newConfig = CheckedDiscoveryConfig.of(raw, LOG::warn);
        this.rules = new HealthRules(newConfig.failuresBeforeInactive(), newConfig.successesBeforeActive(),
                Duration.ofSeconds(newConfig.forgetAfter()), newConfig.statusLogLength());
        this.publicBaseUrl = publicBaseUrl(newConfig.publicBaseUrl(), gatewayPort);
        this.forwardedFor = URI.create(publicBaseUrl).getHost();
        this.config = newConfig;
    }

    @Deactivate
    void deactivate() {
        sources.closeAll();
        closed = true;
        // No interrupt (shutdownNow): a core thread may be writing the store, and H2 closes the whole
        // database when a thread is interrupted in file I/O (SwapLeakIT: the next core found it
        // closed). Waiting timers are dropped; running tasks are short and finish.
        for (ScheduledThreadPoolExecutor pool : List.of(executor, writes)) {
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            pool.shutdown();
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS) || !writes.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Discovery core: tasks still running 5 s after stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.flush();
            leases.releaseAll(); // the other gateways sharing the store take over at once
        } catch (StoreException e) {
            LOG.warn("Discovery core: cannot write its last health results or release its leases: {}",
                    e.getMessage());
        }
        LOG.info("Discovery core stopped ({} device(s) in memory; all are in the store)", entries.size());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setProber(DeviceProber newProber) {
        this.prober = newProber;
        // Introductions that found no prober (the browser may report devices before the prober
        // starts, or while it is being updated) go on now.
        awaitingProber.forEach(this::resumeSoon);
    }

    void unsetProber(DeviceProber oldProber) {
        if (this.prober == oldProber) {
            this.prober = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(DiscoverySource source, Map<String, Object> properties) {
        sources.add(source, properties.get(Constants.SERVICE_BUNDLEID) instanceof Long bundleId ? bundleId : -1,
                Boolean.TRUE.equals(properties.get(DiscoverySource.PUSH_PROPERTY)));
    }

    void removeSource(DiscoverySource source) {
        sources.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    // ---- sightings -------------------------------------------------------------------------

    /** What a source's session reports. @throws CapacityExceededException a new device when the gateway is full */
    void sighted(Sighting sighting) {
        if (closed) {
            throw new IllegalStateException("discovery core stopped");
        }
        while (true) {
            DeviceEntry entry = entries.get(sighting.name());
            if (entry == null) {
                if (entries.size() >= config.maxDevices()) {
                    LOG.warn("Device {} skipped: the gateway already tracks its maximum of {} devices",
                            sighting.name(), config.maxDevices());
                    throw new CapacityExceededException("the gateway already tracks its maximum of "
                            + config.maxDevices() + " devices");
                }
                DeviceEntry fresh = new DeviceEntry(sighting.name());
                entry = entries.putIfAbsent(sighting.name(), fresh);
                if (entry == null) {
                    synchronized (fresh) {
                        LOG.info("Device {} sighted ({}) at {} port {}: introducing", fresh.name,
                                sighting.source(), sighting.communication().addresses(),
                                sighting.communication().port());
                        startIntroduction(fresh, sighting);
                    }
                    return;
                }
            }
            synchronized (entry) {
                if (entry.phase == Phase.FORGOTTEN) {
                    continue; // forgotten meanwhile: start over with a fresh entry
                }
                sightedKnown(entry, sighting);
                return;
            }
        }
    }

    private void sightedKnown(DeviceEntry entry, Sighting sighting) {
        if (entry.phase == Phase.LEAVING) {
            cancelGrace(entry);
            entry.phase = entry.introducing != null ? Phase.INTRODUCING : Phase.LISTED;
            LOG.info("Device {} is back within the goodbye grace: kept", entry.label());
        }
        if (entry.phase == Phase.INTRODUCING) {
            if (!HealthRules.samePlace(entry.introducing.communication(), sighting.communication())) {
                entry.nextSighting = sighting; // introduced once the running introduction ends
            }
            return;
        }
        if (HealthRules.samePlace(entry.sighted, sighting.communication())) {
            if (entry.device != null && entry.device.status() == DeviceStatus.INACTIVE && !entry.device.blacklisted()) {
                // A restart (or a return after its records expired) at the same place: it need not
                // wait out successesBeforeActive sweeps if it answers now.
                LOG.info("Device {} announced itself again while inactive: introducing again", entry.label());
                startIntroduction(entry, sighting);
            }
            return; // the same device at the same place
        }
        LOG.info("Device {} moved: {} port {} -> {} port {}: introducing again", entry.label(),
                entry.sighted.addresses(), entry.sighted.port(), sighting.communication().addresses(),
                sighting.communication().port());
        startIntroduction(entry, sighting);
    }

    /** What a source's session reports: {@code reason} is its own words ("mDNS goodbye"). */
    void goodbye(String name, String reason) {
        DeviceEntry entry = entries.get(name);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (entry.phase == Phase.FORGOTTEN || entry.phase == Phase.LEAVING) {
                return;
            }
            if (entry.device == null) {
                forget(entry, "said goodbye before its introduction ended");
                return;
            }
            int grace = config.goodbyeGrace();
            if (grace <= 0) {
                forget(entry, reason);
                return;
            }
            entry.phase = Phase.LEAVING;
            LOG.info("Device {} said goodbye: forgotten unless it is back within {} s", entry.label(), grace);
            entry.graceTimer = schedule(() -> graceExpired(entry, reason), grace * 1000L);
        }
    }

    private void graceExpired(DeviceEntry entry, String reason) {
        synchronized (entry) {
            if (entry.phase == Phase.LEAVING) {
                forget(entry, reason + ", not back within " + config.goodbyeGrace() + " s");
            }
        }
    }

    // ---- introduction (docs/contract.md §3) ---------------------------------------------------------------

    private void startIntroduction(DeviceEntry entry, Sighting sighting) {
        entry.phase = Phase.INTRODUCING;
        entry.introducing = sighting;
        entry.nextSighting = null;
        entry.epoch++;
        describe(entry, entry.epoch, sighting, 1);
    }

    private void describe(DeviceEntry entry, int epoch, Sighting sighting, int round) {
        DeviceProber current = prober;
        if (current == null) {
            awaitProber(entry, epoch, sighting, round, null); // none yet, or it is being updated
            return;
        }
        descriptionQueries.incrementAndGet();
        current.describe(sighting.communication()).whenCompleteAsync(
                (result, error) -> described(entry, epoch, sighting, round, current, result, error), executor);
    }

    /**
     * The same round again with a prober other than {@code stopped}: the one bound now, or the next to
     * bind. A prober being replaced costs no round. Call with the entry's monitor held.
     */
    private void awaitProber(DeviceEntry entry, int epoch, Sighting sighting, int round, DeviceProber stopped) {
        Runnable resume = () -> {
            synchronized (entry) {
                if (entry.epoch == epoch) {
                    describe(entry, epoch, sighting, round);
                }
            }
        };
        awaitingProber.put(entry, resume);
        // Read after the put: a prober bound meanwhile either sees this entry or is seen here.
        DeviceProber now = prober;
        if (now != null && now != stopped) {
            resumeSoon(entry, resume);
        }
    }

    private void resumeSoon(DeviceEntry entry, Runnable resume) {
        try {
            executor.execute(() -> {
                if (awaitingProber.remove(entry, resume)) {
                    resume.run();
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void described(DeviceEntry entry, int epoch, Sighting sighting, int round, DeviceProber asked,
                           ProbeResult result, Throwable error) {
        synchronized (entry) {
            if (entry.epoch != epoch || closed) {
                return;
            }
            String failure = error != null ? error.toString() : result.failure();
            if (failure == null) {
                introduced(entry, sighting, result);
                return;
            }
            if (PROBER_STOPPED.equals(failure)) {
                awaitProber(entry, epoch, sighting, round, asked); // it is being replaced: no round lost
                return;
            }
            descriptionFailures.incrementAndGet();
            if (round < config.introductionRounds()) {
                long backoff = (long) config.introductionBackoffMillis() << (round - 1);
                LOG.info("Device {}: description query round {} failed ({}); next round in {} ms", entry.label(),
                        round, failure, backoff);
                schedule(() -> {
                    synchronized (entry) {
                        if (entry.epoch == epoch) {
                            describe(entry, epoch, sighting, round + 1);
                        }
                    }
                }, backoff);
                return;
            }
            if (entry.nextSighting != null) {
                startIntroduction(entry, entry.nextSighting);
                return;
            }
            forget(entry, "description query failed " + round + " times: " + failure);
        }
    }

    /** The description answered: the device is stored (with others introduced meanwhile), then listed. */
    private void introduced(DeviceEntry entry, Sighting sighting, ProbeResult result) {
        Instant now = Instant.now();
        var communication = HealthRules.workingFirst(sighting.communication(), result.address(),
                result.failedAddresses());
        boolean isNew = entry.device == null;
        Device device = isNew
                ? Device.introduced(entry.name, communication, result.body(), sighting.source(), now)
                : entry.device.withCommunication(communication).withDescription(result.body()).withLastSeen(now);
        int epoch = entry.epoch;
        writer.saveSoon(entry, epoch, device,
                (stored, failure) -> introductionStored(entry, epoch, sighting, isNew, stored, failure));
    }

    private void introductionStored(DeviceEntry entry, int epoch, Sighting sighting, boolean isNew, Device stored,
                                    StoreException failure) {
        synchronized (entry) {
            if (entry.epoch != epoch || closed) {
                if (stored != null && isNew && entry.phase == Phase.FORGOTTEN && !entries.containsKey(entry.name)) {
                    // Forgotten (a goodbye) while its first save was being written: the row goes too.
                    try {
                        writer.deleteNow(stored.id());
                    } catch (StoreException e) {
                        LOG.warn("Device {}: cannot delete it from the store ({})", entry.name, e.getMessage());
                    }
                }
                return;
            }
            if (failure != null) {
                LOG.warn("Device {}: cannot store it ({}); trying again in {} s", entry.label(), failure.getMessage(),
                        config.healthInterval());
                schedule(() -> {
                    synchronized (entry) {
                        if (entry.epoch == epoch) {
                            describe(entry, epoch, sighting, 1);
                        }
                    }
                }, config.healthInterval() * 1000L);
                return;
            }
            entry.device = stored;
            entry.savedNanos = System.nanoTime();
            entry.sighted = sighting.communication();
            entry.introducing = null;
            if (entry.phase != Phase.LEAVING) {
                entry.phase = Phase.LISTED;
            }
            LOG.info("Device {} {} at {} port {}", entry.label(), isNew ? "introduced and listed" : "updated",
                    stored.communication().addresses(), stored.communication().port());
            post(isNew ? DeviceEventType.ADDED : DeviceEventType.UPDATED, entry.device, null, null);
            if (entry.nextSighting != null && !HealthRules.samePlace(entry.sighted, entry.nextSighting.communication())) {
                startIntroduction(entry, entry.nextSighting);
                return;
            }
            entry.nextSighting = null;
            if (entry.phase == Phase.LISTED) {
                check(entry, new SweepTally(1, this::sweepDone), true);
            }
        }
    }

    // ---- health (docs/contract.md §4) ----------------------------------------------------------------------

    private void sweep() {
        if (closed) {
            return;
        }
        long startedNanos = System.nanoTime();
        Instant now = Instant.now();
        List<DeviceEntry> due = new ArrayList<>();
        boolean leased = renewLeases(startedNanos);
        for (DeviceEntry entry : leased ? entries.values() : List.<DeviceEntry>of()) {
            synchronized (entry) {
                if (entry.phase != Phase.LISTED || entry.checkInFlight || !entry.owned) {
                    continue;
                }
                if (entry.device.blacklisted()) {
                    if (entry.device.status() == DeviceStatus.ACTIVE) {
                        update(entry, rules.blacklisted(entry.device, true, now));
                    }
                    continue;
                }
                entry.checkInFlight = true;
                due.add(entry);
            }
        }
        // The same order every sweep (the prober starts checks first come, first served), so each
        // device's check comes at the same point of every sweep: one interval apart.
        due.sort(SWEEP_ORDER);
        sweeps.incrementAndGet();
        lastSweepStartMillis = now.toEpochMilli();
        SweepTally tally = new SweepTally(due.size(), (done, brake) -> {
            lastSweepChecked = done.checked();
            lastSweepFailed = done.failedCount();
            sweepDone(done, brake);
        });
        for (DeviceEntry entry : due) {
            boolean started;
            synchronized (entry) {
                started = check(entry, tally, false);
            }
            if (!started) {
                tally.skipped(); // outside the monitor: completing the tally locks other entries
            }
        }
        synchronized (sweepSchedule) {
            lastSweepStartNanos = startedNanos;
            scheduleNextSweep();
        }
    }

    /**
     * One lease round (docs/scale-out.md): renews this gateway's leases and lines the working memory up
     * with the store, which other gateways sharing it change: a device removed there is dropped here,
     * a device this gateway has just taken over is read afresh (its last owner wrote its counters) or
     * adopted. @return false when the store cannot say who owns what: nothing is checked this sweep
     */
    private boolean renewLeases(long startedNanos) {
        LeaseRound previous = lastRound;
        LeaseRound round;
        try {
            round = leases.renew(Duration.ofSeconds(LEASE_INTERVALS * (long) config.healthInterval()));
        } catch (StoreException e) {
            LOG.warn("Cannot renew this gateway's device leases ({}): no health check in this sweep", e.getMessage());
            return false;
        }
        lastRound = round;
        // Alone now and before: nobody else can have written a device since this core read it.
        boolean shared = round.liveGateways() > 1 || (previous != null && previous.liveGateways() > 1);
        Map<String, DeviceEntry> byId = new HashMap<>();
        for (DeviceEntry entry : entries.values()) {
            synchronized (entry) {
                Device device = entry.device;
                if (device == null || entry.phase == Phase.FORGOTTEN) {
                    continue;
                }
                if (!round.storedIds().contains(device.id())) {
                    // Saved after the round began: not missing, just newer than the round's snapshot.
                    if (entry.phase != Phase.INTRODUCING && entry.savedNanos - startedNanos < 0) {
                        drop(entry, "removed from the store by another gateway sharing it");
                    }
                    continue;
                }
                boolean owns = round.owns(device.id());
                if (owns && !entry.owned && shared) {
                    refresh(entry);
                    entry.takenOver();
                }
                entry.owned = owns;
                byId.put(device.id(), entry);
            }
        }
        for (String id : round.ownedIds()) {
            if (!byId.containsKey(id)) {
                adopt(id);
            }
        }
        return true;
    }

    /** Reads a device taken over from another gateway as that gateway left it; call with the monitor held. */
    private void refresh(DeviceEntry entry) {
        try {
            Optional<Device> stored = store.findById(entry.device.id());
            if (stored.isPresent()) {
                entry.device = stored.get();
                LOG.info("Device {} taken over from another gateway: {}", entry.label(),
                        entry.device.status().wireName());
            }
        } catch (StoreException e) {
            LOG.warn("Device {}: cannot read it after taking it over ({})", entry.label(), e.getMessage());
        }
    }

    /** A device this gateway owns but has not seen (registered at, or introduced by, another gateway). */
    private void adopt(String id) {
        Optional<Device> stored;
        try {
            stored = store.findById(id);
        } catch (StoreException e) {
            LOG.warn("Device {}: cannot read it to take it over ({})", id, e.getMessage());
            return;
        }
        if (stored.isEmpty()) {
            return; // removed since the round
        }
        DeviceEntry adopted = DeviceEntry.listed(stored.get());
        adopted.owned = true;
        adopted.takenOver();
        if (entries.putIfAbsent(adopted.name, adopted) == null) {
            LOG.info("Device {} taken over from another gateway: {}", adopted.label(),
                    adopted.device.status().wireName());
        }
    }

    /** Forgets a device only in memory: another gateway removed it from the store and told everyone. */
    private void drop(DeviceEntry entry, String reason) {
        entry.phase = Phase.FORGOTTEN;
        entry.epoch++;
        cancelGrace(entry);
        entries.remove(entry.name, entry);
        LOG.info("Device {} dropped: {}", entry.label(), reason);
    }

    /** The next sweep one interval after the last one started: a changed interval counts from there. */
    private void rescheduleSweep() {
        synchronized (sweepSchedule) {
            if (nextSweep != null && nextSweep.cancel(false)) {
                scheduleNextSweep();
            }
        }
    }

    private void scheduleNextSweep() {
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSweepStartNanos);
        nextSweep = schedule(this::sweep, Math.max(0, config.healthInterval() * 1000L - sinceLast));
    }

    /**
     * Starts one health check; call with the entry's monitor held.
     * @return false when there is no prober for now (the device is checked at the next sweep)
     */
    private boolean check(DeviceEntry entry, SweepTally tally, boolean introduction) {
        DeviceProber current = prober;
        if (current == null) {
            entry.checkInFlight = false;
            return false;
        }
        entry.checkInFlight = true;
        int epoch = entry.epoch;
        Instant queried = Instant.now();
        healthChecks.incrementAndGet();
        current.checkHealth(entry.device.communication(), forwardedFor).whenCompleteAsync(
                (result, error) -> checked(entry, epoch, queried, tally, introduction, result, error), executor);
        return true;
    }

    /** @param introduction the check that ends an introduction: whoever introduces checks, owner or not */
    private void checked(DeviceEntry entry, int epoch, Instant queried, SweepTally tally, boolean introduction,
                         ProbeResult result,
                         Throwable error) {
        boolean counted = false;
        boolean failed = false;
        boolean unreachable = false;
        synchronized (entry) {
            entry.checkInFlight = false;
            String failure = error != null ? error.toString() : result.failure();
            if (entry.epoch == epoch && entry.phase == Phase.LISTED && (entry.owned || introduction) && !closed
                    && !PROBER_STOPPED.equals(failure)) {
                healthSecondsTotalMicros.addAndGet(result == null ? 0 : result.elapsed().toNanos() / 1000);
                Instant now = Instant.now();
                Device before = entry.device;
                Device after;
                if (failure == null) {
                    after = rules.succeeded(before, new Health(result.body(), queried), result.address(),
                            result.failedAddresses(), now);
                    if (introduction) {
                        after = rules.introducedAndAnswered(after, now);
                    } else {
                        // Not during an introduction: in a burst, listing every device comes first;
                        // the device hears from its gateway at its first sweep check.
                        maybeTellGateway(entry, result, now);
                    }
                } else {
                    healthFailures.incrementAndGet();
                    after = rules.failed(before, new Health(null, queried));
                    LOG.debug("Device {}: health check failed ({} in a row): {}", entry.label(),
                            after.failedHealthCheckCount(), failure);
                    entry.lastFailure = failure;
                    failed = true;
                    unreachable = result != null && result.unreachable();
                }
                update(entry, after, introduction);
                counted = true;
            }
        }
        if (!counted) {
            tally.skipped();
        } else if (failed) {
            tally.failed(entry, unreachable);
        } else {
            tally.succeeded();
        }
    }

    private void sweepDone(SweepTally tally, boolean brake) {
        if (tally.checked() > 1) {
            lastSweepSeconds = tally.elapsedSeconds();
        }
        if (brake) {
            brakes.incrementAndGet();
            LOG.warn("Brake: {} of {} devices could not be reached in one sweep; the gateway's own network is the "
                    + "likely fault, so nobody is made inactive or forgotten in this sweep", tally.unreachableCount(),
                    tally.checked());
            return;
        }
        Instant now = Instant.now();
        for (DeviceEntry entry : tally.failedEntries()) {
            synchronized (entry) {
                if (entry.phase != Phase.LISTED) {
                    continue;
                }
                update(entry, rules.afterFailures(entry.device, entry.lastFailure, now));
                if (rules.shouldForget(entry.device, now)) {
                    forget(entry, "inactive for more than " + config.forgetAfter() + " s");
                }
            }
        }
    }

    /**
     * Tells the device this gateway's URL when it says no gateway set it ({@code Custom-Orchestrator-Set}
     * not true) or when this gateway has just taken it over from another (it knows that one's URL), at
     * most once per health interval; call with the entry's monitor held.
     */
    private void maybeTellGateway(DeviceEntry entry, ProbeResult result, Instant now) {
        boolean takenOver = entry.mustTellGateway;
        if ((result.orchestratorSet() && !takenOver)
                || entry.lastToldGateway.plusSeconds(config.healthInterval()).isAfter(now)) {
            return;
        }
        DeviceProber current = prober;
        if (current == null) {
            return;
        }
        entry.lastToldGateway = now;
        String url = publicBaseUrl;
        current.tellGateway(entry.device.communication(), result.address(), url).whenComplete((told, error) -> {
            if (told != null && told.succeeded()) {
                if (takenOver) {
                    synchronized (entry) {
                        entry.mustTellGateway = false;
                    }
                    LOG.info("Device {}: told it the gateway is at {} (taken over from another gateway)",
                            entry.label(), url);
                } else {
                    LOG.info("Device {}: told it the gateway is at {}", entry.name, url);
                }
            } else {
                LOG.info("Device {}: could not tell it the gateway's URL: {}", entry.name,
                        told != null ? told.failure() : error);
            }
        });
    }

    /**
     * Takes the device as it now is, writes it to the store soon and, when its status changed, posts
     * STATUS_CHANGED once it is written; call with the entry's monitor held.
     */
    private void update(DeviceEntry entry, Device after) {
        update(entry, after, false);
    }

    /** @param soon written as soon as the store writer is free, not in the next batch (an introduction's check) */
    private void update(DeviceEntry entry, Device after, boolean soon) {
        Device before = entry.device;
        entry.device = after;
        Runnable afterWrite = null;
        if (before.status() != after.status()) {
            String reason = after.statusLog().isEmpty() ? null : after.statusLog().get(0).reason();
            LOG.info("Device {} is now {} (was {}): {}", entry.label(), after.status().wireName(),
                    before.status().wireName(), reason);
            afterWrite = () -> post(DeviceEventType.STATUS_CHANGED, after, before.status(), reason);
        }
        if (soon) {
            writer.soon(entry, afterWrite);
        } else {
            writer.later(entry, afterWrite);
        }
    }

    // ---- forgetting (docs/contract.md §5) ----------------------------------------------------------------

    /** Forgets a device; call with the entry's monitor held. */
    private void forget(DeviceEntry entry, String reason) {
        entry.phase = Phase.FORGOTTEN;
        entry.epoch++;
        cancelGrace(entry);
        entries.remove(entry.name, entry);
        awaitingProber.remove(entry);
        forgotten.incrementAndGet();
        sources.forgotten(entry.name); // still there: reported again, after a back-off
        if (entry.device == null) {
            LOG.info("Device {} not listed: {}", entry.name, reason);
            return;
        }
        try {
            writer.deleteNow(entry.device.id());
        } catch (StoreException e) {
            LOG.warn("Device {}: cannot delete it from the store ({})", entry.label(), e.getMessage());
        }
        LOG.info("Device {} forgotten: {}", entry.label(), reason);
        post(DeviceEventType.REMOVED, entry.device, null, reason);
    }

    private static void cancelGrace(DeviceEntry entry) {
        if (entry.graceTimer != null) {
            entry.graceTimer.cancel(false);
            entry.graceTimer = null;
        }
    }

    @Override
    public Optional<Device> forget(String idOrName, String reason) {
        DeviceEntry entry = find(idOrName);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            if (entry.phase == Phase.FORGOTTEN) {
                return Optional.empty();
            }
            Device device = entry.device;
            forget(entry, reason);
            return Optional.ofNullable(device);
        }
    }

    @Override
    public int forgetAll(String reason) {
        List<Device> listed = new ArrayList<>();
        for (DeviceEntry entry : new ArrayList<>(entries.values())) {
            synchronized (entry) {
                if (entry.phase == Phase.FORGOTTEN) {
                    continue;
                }
                entry.phase = Phase.FORGOTTEN;
                entry.epoch++;
                cancelGrace(entry);
                entries.remove(entry.name, entry);
                if (entry.device != null) {
                    listed.add(entry.device);
                }
            }
        }
        int deleted = writer.deleteAllNow();
        // A device sighted and stored while the wipe ran is new: the wipe must not take it along.
        for (DeviceEntry entry : new ArrayList<>(entries.values())) {
            synchronized (entry) {
                if (entry.phase != Phase.FORGOTTEN && entry.device != null && entry.phase != Phase.INTRODUCING) {
                    try {
                        entry.device = writer.saveNow(entry.device);
                        entry.savedNanos = System.nanoTime();
                    } catch (StoreException e) {
                        LOG.warn("Device {}: cannot store it again after the wipe ({})", entry.label(),
                                e.getMessage());
                    }
                }
            }
        }
        forgotten.addAndGet(listed.size());
        LOG.info("All devices forgotten ({}): {} deleted", reason, deleted);
        for (Device device : listed) {
            post(DeviceEventType.REMOVED, device, null, reason);
        }
        sources.forgetSightings();
        return deleted;
    }

    @Override
    public Optional<Device> setBlacklisted(String idOrName, boolean blacklisted) {
        DeviceEntry entry = find(idOrName);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            if (entry.device == null || entry.phase == Phase.FORGOTTEN) {
                return Optional.empty();
            }
            if (entry.device.blacklisted() != blacklisted) {
                Device before = entry.device;
                update(entry, rules.blacklisted(before, blacklisted, Instant.now()));
                writer.flush(); // the caller reads the list next
                LOG.info("Device {} {}", entry.label(), blacklisted ? "blacklisted" : "unblacklisted");
                if (before.status() == entry.device.status()) {
                    post(DeviceEventType.UPDATED, entry.device, null, blacklisted ? "blacklisted" : "unblacklisted");
                }
            }
            return Optional.of(entry.device);
        }
    }

    @Override
    public List<SessionActivity> openSessions() {
        return sources.activity();
    }

    @Override
    public void rescan() {
        LOG.info("Rescan requested: {} discovery source(s) look again", sources.size());
        sources.requery();
    }

    /** By name or {@code _id}; a device in the store but not in memory (stored by another gateway) is adopted. */
    private DeviceEntry find(String idOrName) {
        DeviceEntry byName = entries.get(idOrName);
        if (byName != null) {
            return byName;
        }
        if (Device.isValidId(idOrName)) {
            for (DeviceEntry entry : entries.values()) {
                Device device = entry.device;
                if (device != null && idOrName.equals(device.id())) {
                    return entry;
                }
            }
        }
        Optional<Device> stored = store.findByIdOrName(idOrName);
        if (stored.isEmpty()) {
            return null;
        }
        DeviceEntry adopted = DeviceEntry.listed(stored.get());
        DeviceEntry existing = entries.putIfAbsent(adopted.name, adopted);
        return existing != null ? existing : adopted;
    }

    // ---- events, metrics, helpers --------------------------------------------------------------

    private void post(DeviceEventType type, Device device, DeviceStatus previous, String reason) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(DeviceEvents.DEVICE_ID, device.id());
        properties.put(DeviceEvents.DEVICE_NAME, device.name());
        if (type != DeviceEventType.REMOVED) {
            properties.put(DeviceEvents.STATUS, device.status().wireName());
        }
        if (previous != null) {
            properties.put(DeviceEvents.PREVIOUS_STATUS, previous.wireName());
        }
        if (reason != null) {
            properties.put(DeviceEvents.REASON, reason);
        }
        properties.put(DeviceEvents.TIMESTAMP, System.currentTimeMillis());
        properties.put(DeviceEvents.ORIGIN, gatewayId);
        admin.postEvent(new Event(DeviceEvents.topic(type), properties));
    }

    @Override
    public List<MetricSample> metrics() {
        int active = 0;
        int inactive = 0;
        int introducing = 0;
        int leaving = 0;
        for (DeviceEntry entry : entries.values()) {
            synchronized (entry) {
                switch (entry.phase) {
                    case INTRODUCING -> introducing++;
                    case LEAVING -> leaving++;
                    case LISTED -> {
                        if (entry.device.status() == DeviceStatus.ACTIVE) {
                            active++;
                        } else {
                            inactive++;
                        }
                    }
                    default -> { }
                }
            }
        }
        String devicesHelp = "Devices known to the discovery core, by lifecycle state";
        LeaseRound round = lastRound;
        return List.of(
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "active"), active),
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "inactive"), inactive),
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "introducing"), introducing),
                new MetricSample("wasmiot_devices", "gauge", devicesHelp, Map.of("state", "leaving"), leaving),
                MetricSample.counter("wasmiot_description_queries_total", "Description queries started",
                        descriptionQueries.get()),
                MetricSample.counter("wasmiot_description_failures_total", "Description queries that failed",
                        descriptionFailures.get()),
                MetricSample.counter("wasmiot_health_checks_total", "Health checks started", healthChecks.get()),
                MetricSample.counter("wasmiot_health_check_failures_total", "Health checks that failed",
                        healthFailures.get()),
                MetricSample.counter("wasmiot_health_check_seconds_total", "Time spent in health checks",
                        healthSecondsTotalMicros.get() / 1e6),
                MetricSample.counter("wasmiot_devices_forgotten_total", "Devices forgotten", forgotten.get()),
                MetricSample.counter("wasmiot_health_sweeps_total", "Health sweeps started", sweeps.get()),
                MetricSample.counter("wasmiot_health_brakes_total",
                        "Sweeps where the mass-failure brake held", brakes.get()),
                MetricSample.gauge("wasmiot_health_sweep_seconds", "Wall time of the last health sweep",
                        lastSweepSeconds),
                MetricSample.gauge("wasmiot_health_sweep_started_timestamp_seconds",
                        "When the last health sweep started (Unix time; 0 before the first)", lastSweepStartMillis / 1e3),
                MetricSample.gauge("wasmiot_health_sweep_checked", "Checks that counted in the last finished sweep",
                        lastSweepChecked),
                MetricSample.gauge("wasmiot_health_sweep_failed", "Checks that failed in the last finished sweep",
                        lastSweepFailed),
                MetricSample.gauge("wasmiot_health_interval_seconds", "The configured health interval",
                        config.healthInterval()),
                MetricSample.gauge("wasmiot_devices_max", "The configured maximum of devices (maxDevices)",
                        config.maxDevices()),
                MetricSample.gauge("wasmiot_devices_owned", "Devices whose lease this gateway holds (it checks them)",
                        round == null ? 0 : round.ownedIds().size()),
                MetricSample.gauge("wasmiot_gateways_live", "Gateways alive on the shared store, this one included",
                        round == null ? 0 : round.liveGateways()),
                MetricSample.counter("wasmiot_store_batches_total", "Batched writes of health results",
                        writer.batches()),
                MetricSample.counter("wasmiot_store_batched_devices_total", "Devices written in batches",
                        writer.batchedDevices()),
                MetricSample.counter("wasmiot_store_whole_batches_total",
                        "Group commits of whole devices (introductions, moves)", writer.wholeBatches()),
                MetricSample.counter("wasmiot_store_whole_devices_total",
                        "Whole devices written in group commits", writer.wholeDevices()));
    }

    private java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // stopping
        }
    }

    /** The configured public URL, or {@code http://<first non-loopback IPv4 or 127.0.0.1>:<port>}. */
    static String publicBaseUrl(String configured, int port) {
        if (configured != null && !configured.isBlank()) {
            String trimmed = configured.strip();
            return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        }
        String host = "127.0.0.1";
        try {
            outer:
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        host = address.getHostAddress();
                        break outer;
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list interfaces for the public URL: {}", e.getMessage());
        }
        return "http://" + host + ":" + port;
    }

    private static int parsePort(String property) {
        try {
            return property == null ? 3000 : Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            return 3000;
        }
    }
}
