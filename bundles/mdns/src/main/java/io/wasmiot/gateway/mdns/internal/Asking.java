package io.wasmiot.gateway.mdns.internal;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * When the source asks the network. Browse queries: at once and then 1 s, 2 s, 4 s... apart up to
 * once an hour after an interface comes up or a rescan (RFC 6762 §5.2: what a lossy link lost of a
 * device's probes and announcements, a later answer brings), and after a burst of new services
 * ({@link BurstCatchUp}); once a burst's catch-up episode ends, caught up or still finding, the
 * 1 s, 2 s, 4 s... schedule starts again, because on a lossy link a round that found nothing proves
 * little (RFC 6762 §5.2: successive queries at least 1 s apart, then doubling). Every browse query
 * carries the known answers ({@link BrowseQuery}), so only the devices not yet heard answer it.
 * Questions for what the cache lacks ({@link Resolution}).
 *
 * <p>Not thread safe: the browser calls it with its monitor held; {@code later} runs tasks the same way.
 */
final class Asking {
    static final long FIRST_BROWSE_INTERVAL_MILLIS = 1000;
    static final long MAX_BROWSE_INTERVAL_MILLIS = 3_600_000;
    private static final Logger LOG = LoggerFactory.getLogger(Asking.class);

    private final Consumer<Message> send;
    private final Supplier<List<Record>> knownAnswers;
    private final BiFunction<Runnable, Long, ScheduledFuture<?>> later;
    private final LongSupplier nanoClock;
    final Resolution resolution;
    private final BurstCatchUp catchUp = new BurstCatchUp();
    private ScheduledFuture<?> browseTimer;
    private long browseIntervalMillis = FIRST_BROWSE_INTERVAL_MILLIS;
    private ScheduledFuture<?> catchUpTimer;

    final AtomicLong catchUpQueries = new AtomicLong();
    volatile boolean catchUpPending;

    Asking(Consumer<Message> send, Supplier<List<Record>> knownAnswers,
            BiFunction<Runnable, Long, ScheduledFuture<?>> later, LongSupplier nanoClock) {
        this.send = send;
        this.knownAnswers = knownAnswers;
        this.later = later;
        this.nanoClock = nanoClock;
        this.resolution = new Resolution(send, later);
    }

    /** Asks now and again at doubling intervals. */
    void browseFromNow() {
        browse();
        browseIntervalMillis = FIRST_BROWSE_INTERVAL_MILLIS;
        scheduleBrowse();
    }

    /** After a burst's catch-up episode: the next browse query 1 s from now, then at doubling intervals. */
    private void browseAfterBurst() {
        browseIntervalMillis = FIRST_BROWSE_INTERVAL_MILLIS;
        scheduleBrowse();
    }

    private void browse() {
        BrowseQuery.datagrams(knownAnswers.get()).forEach(send);
    }

    private void scheduleBrowse() {
        if (browseTimer != null) {
            browseTimer.cancel(false);
        }
        browseTimer = later.apply(() -> {
            browse();
            browseIntervalMillis = Math.min(2 * browseIntervalMillis, MAX_BROWSE_INTERVAL_MILLIS);
            scheduleBrowse();
        }, browseIntervalMillis);
    }

    /** Asks for {@code instance}'s records, or for {@code target}'s addresses when given. */
    void askFor(Name instance, Name target) {
        resolution.ask(instance, target);
    }

    /** A name heard only in a probe: asked for once its owner had time to announce it. */
    void askAfterProbe(Name instance) {
        resolution.ask(instance, null, Resolution.AFTER_PROBE_MILLIS);
    }

    void complete(Name instance) {
        resolution.cancel(instance);
    }

    /** A new service was found: after a burst, query again once the network is quiet. */
    void foundNew() {
        if (!catchUp.found(nanoClock.getAsLong())) {
            return;
        }
        if (catchUpTimer != null) {
            catchUpTimer.cancel(false);
        }
        catchUpTimer = later.apply(this::burstQuiet, BurstCatchUp.QUIET_MILLIS);
        catchUpPending = true;
    }

    private void burstQuiet() {
        catchUpTimer = null;
        catchUpPending = false;
        switch (catchUp.quiet(nanoClock.getAsLong())) {
            case QUERY -> {
                catchUpQueries.incrementAndGet();
                catchUpPending = true;
                browse();
                int askedByName = resolution.askProbedNow();
                LOG.info("mDNS: burst of new services; querying again to catch what the burst lost (round {}; "
                        + "{} unresolved name(s), most heard only in probes, asked for now)", catchUp.rounds(), askedByName);
                catchUpTimer = later.apply(this::burstQuiet, BurstCatchUp.QUIET_MILLIS);
            }
            case WAIT -> {
                catchUpPending = true;
                catchUpTimer = later.apply(this::burstQuiet, catchUp.waitMillis());
            }
            case CAUGHT_UP -> browseAfterBurst();
            case STILL_FINDING -> {
                catchUpPending = true;
                catchUpTimer = later.apply(this::burstQuiet, catchUp.waitMillis());
                browseAfterBurst();
            }
            case DONE -> { }
        }
    }
}
