package io.wasmiot.gateway.mdns.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.SourceSession;

/**
 * What the discovery core is told, and when: a complete instance is news when it is new, at
 * another place, or announced again after a restart or an expiry ({@link ServiceCache.Instance#news});
 * the same place said again is not. Unusable records are logged once per reason; a device the core
 * refused for lack of room waits for a rescan; one it forgot waits out a back-off
 * ({@link ReofferBackoff}); goodbyes heard while no core is bound are kept for the next one.
 *
 * <p>Not thread safe: the browser calls it with its monitor held, and so calls the session.
 */
final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger(Reports.class);
    /** The reason of a goodbye, as the log and the REMOVED event show it. */
    private static final String GOODBYE = "mDNS goodbye";

    private final ReofferBackoff reoffers = new ReofferBackoff();
    /** Records that cannot be used, with the reason already logged (logged again only when it changes). */
    private final Map<String, String> skipped = new HashMap<>();
    /** Devices the core refused for lack of room; offered again at the next rescan. */
    private final Set<String> refused = new HashSet<>();
    private final Set<String> goodbyesWhileClosed = new HashSet<>();
    /** The core's session while it listens; {@code null} while no core is bound. */
    private SourceSession session;

    final AtomicLong found = new AtomicLong();
    final AtomicLong goodbyes = new AtomicLong();
    final AtomicLong reannounced = new AtomicLong();

    void session(SourceSession newSession) {
        this.session = newSession;
    }

    SourceSession session() {
        return session;
    }

    /**
     * A complete instance the wire just spoke of: tells the core when it is news.
     * @return whether it was reported as a new device
     */
    boolean consider(ServiceCache.Instance instance, List<InetAddress> addresses, long nowNanos) {
        String name = instance.label;
        InstanceReader.Result result = InstanceReader.read(name, instance.port, addresses, instance.txt, Instant.now());
        if (result.sighting() == null) {
            if (!result.skipReason().equals(skipped.put(name, result.skipReason()))) {
                LOG.warn("mDNS: skipping service '{}': {}", printable(name), result.skipReason());
            }
            return false;
        }
        skipped.remove(name);
        Communication communication = result.sighting().communication();
        Object previous = instance.reported;
        if (previous != null && previous.equals(communication) && !instance.news) {
            return false; // the same device at the same place, said again
        }
        if (previous == null && !reoffers.mayReport(name, nowNanos)) {
            return false; // forgotten not long ago: asked again after the back-off
        }
        if (refused.contains(name)) {
            return false;
        }
        boolean isNew = previous == null;
        String what = isNew ? "found" : previous.equals(communication) ? "announced again" : "changed";
        instance.reported = communication;
        instance.news = false;
        goodbyesWhileClosed.remove(name);
        if (isNew) {
            found.incrementAndGet();
        } else if (previous.equals(communication)) {
            reannounced.incrementAndGet();
        }
        if (isNew) {
            // the core says it at once ("Device <name> sighted (mdns) at ..."): one line per device in a burst
            LOG.debug("mDNS: found {} at {} port {}", name, communication.addresses(), communication.port());
        } else {
            LOG.info("mDNS: {} {} at {} port {}", what, name, communication.addresses(), communication.port());
        }
        deliver(instance, result.sighting());
        return isNew;
    }

    /** An instance said goodbye (a TTL-0 record). */
    void said(ServiceCache.Instance gone) {
        skipped.remove(gone.label);
        reoffers.clear(gone.label);
        if (gone.reported == null) {
            return; // never reported: nothing to say goodbye to
        }
        goodbyes.incrementAndGet();
        LOG.info("mDNS: goodbye from {}", gone.label);
        if (session == null) {
            goodbyesWhileClosed.add(gone.label);
            return;
        }
        try {
            session.goodbye(gone.label, GOODBYE);
        } catch (IllegalStateException e) {
            goodbyesWhileClosed.add(gone.label); // the core closed the session meanwhile: told at the next open
        } catch (RuntimeException e) {
            LOG.warn("mDNS: the discovery core failed on the goodbye of {}: {}", gone.label, e.toString());
        }
    }

    private void deliver(ServiceCache.Instance instance, Sighting sighting) {
        if (session == null) {
            return; // replayed when a core opens this source
        }
        try {
            session.sighted(sighting.name(), sighting.communication());
        } catch (CapacityExceededException e) {
            refused.add(sighting.name()); // not offered again every time it speaks; a rescan offers it again
            LOG.warn("mDNS: skipped {}: {}", sighting.name(), e.getMessage());
        } catch (IllegalStateException e) {
            LOG.debug("mDNS: {} not told: the session closed meanwhile; replayed at the next open", sighting.name());
        } catch (RuntimeException e) {
            instance.reported = null;
            LOG.warn("mDNS: the discovery core failed on {}: {}", sighting.name(), e.toString());
        }
    }

    /** A core bound: it hears the goodbyes it missed and every device reported and still advertised. */
    void replay(ServiceCache cache) {
        if (session == null) {
            return;
        }
        LOG.info("mDNS: discovery core bound; replaying {} sighting(s) and {} goodbye(s)", reportedCount(cache),
                goodbyesWhileClosed.size());
        for (String name : new ArrayList<>(goodbyesWhileClosed)) {
            try {
                session.goodbye(name, GOODBYE);
            } catch (RuntimeException e) {
                LOG.warn("mDNS: the discovery core failed on the goodbye of {}: {}", name, e.toString());
            }
        }
        goodbyesWhileClosed.clear();
        for (ServiceCache.Instance instance : cache.instances()) {
            if (instance.reported instanceof Communication communication && instance.hasSrv()) {
                deliver(instance, new Sighting(instance.label, communication, WebthingBrowser.SOURCE_ID, Instant.now()));
            }
        }
    }

    /** A rescan: the devices refused for lack of room are offered again when they answer. */
    void rescan(ServiceCache cache) {
        for (String name : refused) {
            ServiceCache.Instance instance = cache.instance(name);
            if (instance != null) {
                instance.reported = null;
            }
        }
        refused.clear();
    }

    /** The core wiped its devices: everything still advertising is news again. */
    void forgetAll(ServiceCache cache) {
        LOG.info("mDNS: forgetting {} sighting(s); devices still advertising will be reported again",
                reportedCount(cache));
        for (ServiceCache.Instance instance : cache.instances()) {
            instance.reported = null;
        }
        skipped.clear();
        refused.clear();
        goodbyesWhileClosed.clear();
        reoffers.clear();
    }

    /**
     * The core forgot {@code instance}: news again once the back-off has passed.
     * @return the back-off in milliseconds, or -1 when it was not reported
     */
    long forgotten(ServiceCache.Instance instance) {
        if (instance == null || instance.reported == null) {
            return -1;
        }
        instance.reported = null;
        long backoff = reoffers.forgotten(instance.label, System.nanoTime());
        LOG.info("mDNS: {} was forgotten; if it still advertises, it is reported again in {} s", instance.label,
                backoff / 1000);
        return backoff;
    }

    static int reportedCount(ServiceCache cache) {
        int count = 0;
        for (ServiceCache.Instance instance : cache.instances()) {
            if (instance.reported != null) {
                count++;
            }
        }
        return count;
    }

    /** Device names come from the network: keep log lines on one line. */
    private static String printable(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
    }
}
