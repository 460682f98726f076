package io.wasmiot.agent.internal.mdns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The services of a {@link Responder} and their life on the wire, as python-zeroconf 0.47 leads a
 * service through it ({@code zeroconf/_core.py}: {@code async_check_service},
 * {@code _async_broadcast_service}, {@code async_unregister_service}; timing from {@code const.py}):
 * probed {@value #BROADCASTS} times {@value #PROBE_INTERVAL_MILLIS} ms apart, announced right after
 * the last probe and again twice {@value #ANNOUNCE_INTERVAL_MILLIS} ms apart; a goodbye (every
 * record with TTL 0) {@value #BROADCASTS} times {@value #GOODBYE_INTERVAL_MILLIS} ms apart. A name
 * someone else answers for while it probes becomes {@code name (2)}, {@code name (3)}... (logged)
 * and is probed again. Responder thread only.
 */
final class ServiceTable implements QueryAnswerer.Registry {
    /** {@code _CHECK_TIME} */
    static final long PROBE_INTERVAL_MILLIS = 175;
    /** {@code _REGISTER_TIME} */
    static final long ANNOUNCE_INTERVAL_MILLIS = 225;
    /** {@code _UNREGISTER_TIME} */
    static final long GOODBYE_INTERVAL_MILLIS = 125;
    /** {@code _REGISTER_BROADCASTS}: probes, announcements and goodbyes each */
    static final int BROADCASTS = 3;
    static final int MAX_RENAMES = 99;
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTable.class);

    private final RecordLifetimes ttl;
    private final Outbox outbox;
    private final Outbox.Timer timer;
    private final Map<Name, Advertised> byInstance = new HashMap<>();
    private final Map<Name, Advertised> byHost = new HashMap<>();
    private final Set<Registration> corrupt = new LinkedHashSet<>();

    ServiceTable(RecordLifetimes ttl, Outbox outbox, Outbox.Timer timer) {
        this.ttl = ttl;
        this.outbox = outbox;
        this.timer = timer;
    }

    @Override
    public Advertised instance(Name name) {
        return byInstance.get(name);
    }

    @Override
    public Advertised host(Name name) {
        return byHost.get(name);
    }

    @Override
    public Collection<Advertised> all() {
        return byInstance.values();
    }

    /** Starts probing a new service (renamed at once if this responder holds its name already). */
    void start(Registration registration, ServiceRecords records) {
        Advertised entry = new Advertised(registration, records);
        registration.entry = entry;
        if (taken(entry.records) && !rename(entry)) {
            return;
        }
        put(entry);
        probe(entry);
    }

    /** Forgets a service without a word. */
    void drop(Registration registration) {
        corrupt.remove(registration);
        remove(registration.entry);
    }

    /** A response: someone else answers for a name we are probing (python-zeroconf: a PTR to it in its cache). */
    void response(Message response) {
        Set<Advertised> conflicts = new LinkedHashSet<>();
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record record : response.getSection(section)) {
                Name claimed = claimedInstance(record);
                Advertised entry = claimed == null ? null : byInstance.get(claimed);
                if (entry != null && entry.state == Advertised.State.PROBING) {
                    conflicts.add(entry);
                }
            }
        }
        for (Advertised entry : conflicts) {
            unmap(entry);
            if (rename(entry)) {
                put(entry);
                probe(entry);
            }
        }
    }

    private static Name claimedInstance(Record record) {
        if (record.getTTL() == 0) {
            return null; // a goodbye claims nothing
        }
        if (record instanceof PTRRecord ptr) {
            return ptr.getName().equals(MdnsNames.SERVICE_TYPE) ? ptr.getTarget() : null;
        }
        return record.getType() == Type.SRV || record.getType() == Type.TXT ? record.getName() : null;
    }

    // ---- probing and announcing -----------------------------------------------------------------

    private void probe(Advertised entry) {
        entry.state = Advertised.State.PROBING;
        sendProbe(entry, ++entry.round, 1);
    }

    private void sendProbe(Advertised entry, int round, int number) {
        if (!entry.current(round) || entry.state != Advertised.State.PROBING) {
            return;
        }
        outbox.probe(DatagramPacker.Part.proposed(List.of(entry.records.ptr(ttl.otherTtl()))));
        if (number < BROADCASTS) {
            after(PROBE_INTERVAL_MILLIS, () -> sendProbe(entry, round, number + 1));
        } else {
            entry.state = Advertised.State.ANNOUNCED; // python-zeroconf announces right after its last probe
            LOG.debug("mDNS: {} probed; announcing it", entry.records.label());
            announce(entry, round, 1);
        }
    }

    private void announce(Advertised entry, int round, int number) {
        if (!entry.current(round) || entry.state != Advertised.State.ANNOUNCED) {
            return;
        }
        outbox.respond(entry.announcement(ttl, System.nanoTime()));
        if (number < BROADCASTS) {
            after(ANNOUNCE_INTERVAL_MILLIS, () -> announce(entry, round, number + 1));
        }
    }

    /** The next free {@code name (n)}; false (and the entry gone) when none is left. */
    private boolean rename(Advertised entry) {
        String taken = entry.records.label();
        while (entry.renames < MAX_RENAMES) {
            entry.renames++;
            String candidate = renamed(entry.baseName, entry.renames + 1);
            ServiceRecords records = entry.records.renamed(candidate);
            if (!taken(records)) {
                entry.records = records;
                entry.registration.renamed(candidate);
                LOG.warn("{}: the name is taken on this network; advertising it as '{}'", taken, candidate);
                return true;
            }
        }
        LOG.warn("mDNS: {} is taken and so are {} renamings of it; not advertising it", entry.baseName, MAX_RENAMES);
        entry.state = Advertised.State.GONE;
        return false;
    }

    /** {@code base (n)}, the base cut (at a character) so that the label stays within 63 bytes. */
    static String renamed(String base, int number) {
        String suffix = " (" + number + ")";
        String cut = base;
        while ((cut + suffix).getBytes(StandardCharsets.UTF_8).length > MdnsNames.MAX_LABEL_BYTES) {
            cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
        }
        return cut + suffix;
    }

    // ---- goodbyes -------------------------------------------------------------------------------

    /** Goodbyes for one service (none when it was never announced); {@code sent} completes after the last. */
    void goodbye(Registration registration, CompletableFuture<Void> sent) {
        List<DatagramPacker.Part> parts = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        if (corrupt.remove(registration)) {
            raw.add(registration.corrupt.datagram(0));
        }
        Advertised entry = registration.entry;
        if (entry != null && entry.state == Advertised.State.ANNOUNCED) {
            parts.add(DatagramPacker.Part.answers(entry.records.goodbye(), List.of()));
        }
        remove(entry);
        sendGoodbyes(parts, raw, 1, sent);
    }

    /** Goodbyes for every announced service, packed together (python-zeroconf's {@code async_unregister_all_services}). */
    void goodbyeToAll(CompletableFuture<Void> sent) {
        List<DatagramPacker.Part> parts = new ArrayList<>();
        for (Advertised entry : new ArrayList<>(byInstance.values())) {
            if (entry.state == Advertised.State.ANNOUNCED) {
                parts.add(DatagramPacker.Part.answers(entry.records.goodbye(), List.of()));
            }
            remove(entry);
        }
        List<byte[]> raw = new ArrayList<>();
        corrupt.forEach(registration -> raw.add(registration.corrupt.datagram(0)));
        corrupt.clear();
        sendGoodbyes(parts, raw, 1, sent);
    }

    private void sendGoodbyes(List<DatagramPacker.Part> parts, List<byte[]> raw, int number,
                              CompletableFuture<Void> sent) {
        if (parts.isEmpty() && raw.isEmpty()) {
            sent.complete(null);
            return;
        }
        parts.forEach(outbox::respond);
        raw.forEach(outbox::raw);
        if (number < BROADCASTS) {
            after(GOODBYE_INTERVAL_MILLIS, () -> sendGoodbyes(parts, raw, number + 1, sent));
        } else {
            outbox.afterSend(() -> sent.complete(null));
        }
    }

    // ---- names DNS cannot carry -------------------------------------------------------------------

    /** Announces a corrupt datagram as a service's announcements would go (no probing: nobody could answer). */
    void startCorrupt(Registration registration) {
        corrupt.add(registration);
        sendCorrupt(registration, 1);
    }

    private void sendCorrupt(Registration registration, int number) {
        if (!corrupt.contains(registration)) {
            return;
        }
        outbox.raw(registration.corrupt.datagram(ttl.otherTtl()));
        if (number < BROADCASTS) {
            after(ANNOUNCE_INTERVAL_MILLIS, () -> sendCorrupt(registration, number + 1));
        }
    }

    /** Runs {@code next} {@code millis} after what is queued now has gone out: the intervals hold on the wire. */
    private void after(long millis, Runnable next) {
        outbox.afterSend(() -> timer.schedule(next, millis));
    }

    // ---- the maps -----------------------------------------------------------------------------------

    private boolean taken(ServiceRecords records) {
        return byInstance.containsKey(records.instance()) || byHost.containsKey(records.host());
    }

    private void put(Advertised entry) {
        byInstance.put(entry.records.instance(), entry);
        byHost.put(entry.records.host(), entry);
    }

    private void unmap(Advertised entry) {
        byInstance.remove(entry.records.instance(), entry);
        byHost.remove(entry.records.host(), entry);
    }

    private void remove(Advertised entry) {
        if (entry != null && entry.state != Advertised.State.GONE) {
            unmap(entry);
            entry.state = Advertised.State.GONE;
            entry.round++;
        }
    }
}
