package io.wasmiot.gateway.mdns.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.wasmiot.gateway.mdns.transport.DnsLabels;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * What the wire says about {@code _webthing._tcp.local.} service instances: each one's PTR, SRV
 * and TXT records and the addresses of its SRV target, with their lifetimes (RFC 6762 §10):
 * <ul>
 * <li>a record with TTL 0 is a goodbye: its instance leaves at once ({@link Applied#goodbyes});</li>
 * <li>a unique record (cache-flush bit) replaces what its owner sent more than a second before;</li>
 * <li>a record whose lifetime ends just expires ({@link #expire}): no goodbye, and what the
 * instance's next announcement says counts as news again (a device back from a long absence);</li>
 * <li>a probe (a question with proposed records in its authority section) for a known instance
 * marks it as restarting, so its next announcement counts as news even when nothing changed.</li>
 * </ul>
 * Records of other names are ignored, addresses are kept only for targets an instance names, and
 * the number of instances is bounded. Not thread safe: one owner at a time.
 */
final class ServiceCache {
    static final Name SERVICE_TYPE = Name.fromConstantString("_webthing._tcp.local.");
    static final int MAX_INSTANCES = 20_000;
    static final int MAX_ADDRESSES_PER_HOST = 16;
    private static final int CACHE_FLUSH = 0x8000;
    private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** One service instance as the wire describes it. Times are {@link System#nanoTime()}. */
    static final class Instance {
        final Name name;
        final String label;
        long ptrExpires;
        /** Until when the PTR has more than half its lifetime left (RFC 6762 §7.1: a known answer). */
        long ptrFreshUntil;
        Name target;
        int port;
        long srvExpires;
        long srvReceived;
        Map<String, String> txt = Map.of();
        long txtExpires;
        long txtReceived;
        /** Something happened that makes the next complete announcement news: a probe, an expiry, a wipe. */
        boolean news = true;
        /** What the discovery core was last told about it ({@code null}: nothing yet, or it must be told again). */
        Object reported;

        Instance(Name name, String label) {
            this.name = name;
            this.label = label;
        }

        boolean hasSrv() {
            return target != null;
        }
    }

    /**
     * What one message changed.
     * @param probedUnknown names probed that the cache has no record of (their announcements may be lost)
     */
    record Applied(Set<Instance> touched, List<Instance> goodbyes, List<Name> probedUnknown) {
        Applied(Set<Instance> touched, List<Instance> goodbyes) {
            this(touched, goodbyes, List.of());
        }
    }

    private record Address(InetAddress address, long expires, long received) {
    }

    private final Map<Name, Instance> instances = new LinkedHashMap<>();
    private final Map<String, Instance> byLabel = new HashMap<>();
    private final Map<Name, List<Address>> hosts = new HashMap<>();
    /** SRV target to the instances naming it. */
    private final Map<Name, Set<Instance>> byTarget = new HashMap<>();
    private int dropped;

    Collection<Instance> instances() {
        return instances.values();
    }

    Instance instance(String label) {
        return byLabel.get(label);
    }

    int size() {
        return instances.size();
    }

    /** Records of new instances not cached because the cache was full, since start. */
    int dropped() {
        return dropped;
    }

    /** The usable addresses of {@code instance}'s SRV target, in the order they came. */
    List<InetAddress> addresses(Instance instance) {
        List<InetAddress> result = new ArrayList<>();
        if (instance.target != null) {
            for (Address address : hosts.getOrDefault(instance.target, List.of())) {
                result.add(address.address());
            }
        }
        return result;
    }

    /**
     * The PTR records a browse query may carry as known answers at {@code now}: of instances already
     * reported as they are (nothing new to hear from them), with an SRV and a PTR that has more than
     * half its lifetime left. Anything else must answer again.
     */
    List<Record> knownAnswers(long now) {
        List<Record> known = new ArrayList<>();
        for (Instance instance : instances.values()) {
            if (instance.reported != null && !instance.news && instance.hasSrv()
                    && instance.ptrExpires != 0 && instance.ptrFreshUntil - now > 0) {
                long ttlSeconds = TimeUnit.NANOSECONDS.toSeconds(instance.ptrExpires - now);
                known.add(new PTRRecord(SERVICE_TYPE, DClass.IN, ttlSeconds, instance.name));
            }
        }
        return known;
    }

    /** Takes in one datagram received at {@code now}; {@code fromMdnsPort}: sent from port 5353. */
    Applied apply(Message message, boolean fromMdnsPort, long now) {
        Set<Instance> touched = new LinkedHashSet<>();
        List<Instance> goodbyes = new ArrayList<>();
        if (!message.getHeader().getFlag(Flags.QR)) {
            List<Name> unknown = new ArrayList<>();
            for (Record proposed : message.getSection(Section.AUTHORITY)) {
                // jmdns proposes the instance's SRV and TXT; python-zeroconf proposes the type's PTR to it
                Name name = proposed instanceof PTRRecord ptr && ptr.getName().equals(SERVICE_TYPE)
                        ? ptr.getTarget() : proposed.getName();
                if (!isInstanceName(name)) {
                    continue;
                }
                Instance probed = instances.get(name);
                if (probed != null) {
                    probed.news = true; // restarting: it probes its name before it announces it again
                } else if (!unknown.contains(name)) {
                    unknown.add(name);
                }
            }
            return new Applied(touched, goodbyes, unknown);
        }
        if (!fromMdnsPort) {
            return new Applied(touched, goodbyes); // RFC 6762 §6: not an mDNS response
        }
        List<Record> records = new ArrayList<>(message.getSection(Section.ANSWER));
        records.addAll(message.getSection(Section.ADDITIONAL));
        for (Record record : records) {
            if (record instanceof PTRRecord ptr && ptr.getName().equals(SERVICE_TYPE)) {
                pointer(ptr, now, touched, goodbyes);
            } else if (record instanceof SRVRecord srv && isInstanceName(srv.getName())) {
                service(srv, now, touched, goodbyes);
            } else if (record instanceof TXTRecord txt && isInstanceName(txt.getName())) {
                text(txt, now, touched);
            }
        }
        for (Record record : records) {
            if (record instanceof ARecord a) {
                address(a.getName(), a.getAddress(), record, now, touched);
            } else if (record instanceof AAAARecord aaaa) {
                address(aaaa.getName(), aaaa.getAddress(), record, now, touched);
            }
        }
        touched.removeAll(goodbyes);
        return new Applied(touched, goodbyes);
    }

    private void pointer(PTRRecord ptr, long now, Set<Instance> touched, List<Instance> goodbyes) {
        Name name = ptr.getTarget();
        if (!isInstanceName(name)) {
            return;
        }
        if (ptr.getTTL() == 0) {
            leave(name, goodbyes);
            return;
        }
        Instance instance = instanceFor(name);
        if (instance != null) {
            instance.ptrExpires = now + seconds(ptr.getTTL());
            instance.ptrFreshUntil = now + seconds(ptr.getTTL()) / 2;
            touched.add(instance);
        }
    }

    private void service(SRVRecord srv, long now, Set<Instance> touched, List<Instance> goodbyes) {
        if (srv.getTTL() == 0) {
            leave(srv.getName(), goodbyes);
            return;
        }
        Instance instance = instanceFor(srv.getName());
        if (instance == null) {
            return;
        }
        setTarget(instance, srv.getTarget());
        instance.port = srv.getPort();
        instance.srvExpires = now + seconds(srv.getTTL());
        instance.srvReceived = now;
        touched.add(instance);
    }

    private void text(TXTRecord txt, long now, Set<Instance> touched) {
        Instance instance = instances.get(txt.getName());
        if (instance == null || txt.getTTL() == 0) {
            return; // a TXT alone makes no instance; its goodbye comes with the PTR's or the SRV's
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (byte[] string : txt.getStringsAsByteArrays()) {
            String pair = new String(string, StandardCharsets.UTF_8);
            int equals = pair.indexOf('=');
            String key = (equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(java.util.Locale.ROOT);
            if (!key.isEmpty() && !pairs.containsKey(key)) { // RFC 6763 §6.4: the first one counts
                pairs.put(key, equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        instance.txt = Map.copyOf(pairs);
        instance.txtExpires = now + seconds(txt.getTTL());
        instance.txtReceived = now;
        touched.add(instance);
    }

    private void address(Name host, InetAddress value, Record record, long now, Set<Instance> touched) {
        Set<Instance> naming = byTarget.getOrDefault(host, Set.of());
        if (naming.isEmpty()) {
            return; // nobody's target: not ours to keep
        }
        List<Address> addresses = new ArrayList<>(hosts.getOrDefault(host, List.of()));
        if ((record.getDClass() & CACHE_FLUSH) != 0 && record.getTTL() > 0) {
            addresses.removeIf(old -> now - old.received() > ONE_SECOND); // RFC 6762 §10.2
        }
        addresses.removeIf(old -> old.address().equals(value));
        if (record.getTTL() > 0 && addresses.size() < MAX_ADDRESSES_PER_HOST) {
            addresses.add(new Address(value, now + seconds(record.getTTL()), now));
        }
        if (addresses.isEmpty()) {
            hosts.remove(host);
        } else {
            hosts.put(host, List.copyOf(addresses));
        }
        touched.addAll(naming);
    }


    private void leave(Name name, List<Instance> goodbyes) {
        Instance gone = instances.remove(name);
        if (gone != null) {
            byLabel.remove(gone.label, gone);
            goodbyes.add(gone);
            setTarget(gone, null);
        }
    }

    /**
     * Lets lifetimes end at {@code now}: an SRV that ends leaves its instance incomplete (no
     * goodbye) and makes its next announcement news; an instance with nothing left is dropped.
     * @return the instances whose SRV ended
     */
    List<Instance> expire(long now) {
        List<Instance> expired = new ArrayList<>();
        for (Iterator<Map.Entry<Name, List<Address>>> it = hosts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Name, List<Address>> host = it.next();
            List<Address> alive = host.getValue().stream().filter(a -> a.expires() - now > 0).toList();
            if (alive.isEmpty()) {
                it.remove();
            } else if (alive.size() != host.getValue().size()) {
                host.setValue(alive);
            }
        }
        for (Iterator<Instance> it = instances.values().iterator(); it.hasNext(); ) {
            Instance instance = it.next();
            if (instance.target != null && instance.srvExpires - now <= 0) {
                setTarget(instance, null);
                instance.news = true;
                expired.add(instance);
            }
            if (!instance.txt.isEmpty() && instance.txtExpires - now <= 0) {
                instance.txt = Map.of();
            }
            if (instance.ptrExpires != 0 && instance.ptrExpires - now <= 0) {
                instance.ptrExpires = 0;
            }
            if (instance.target == null && instance.ptrExpires == 0 && instance.txt.isEmpty()) {
                it.remove();
                byLabel.remove(instance.label, instance);
            }
        }
        return expired;
    }

    /** Points {@code instance} at {@code target} ({@code null}: none); a target nobody names loses its addresses. */
    private void setTarget(Instance instance, Name target) {
        Name old = instance.target;
        if (old != null && !old.equals(target)) {
            Set<Instance> naming = byTarget.get(old);
            if (naming != null && naming.remove(instance) && naming.isEmpty()) {
                byTarget.remove(old);
                hosts.remove(old);
            }
        }
        instance.target = target;
        if (target != null) {
            byTarget.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(instance);
        }
    }

    private Instance instanceFor(Name name) {
        Instance instance = instances.get(name);
        if (instance == null) {
            if (instances.size() >= MAX_INSTANCES) {
                dropped++;
                return null;
            }
            instance = new Instance(name, label(name));
            instances.put(name, instance);
            byLabel.put(instance.label, instance);
        }
        return instance;
    }

    /** {@code <instance>._webthing._tcp.local.}: one label, or several as jmdns writes names with dots. */
    static boolean isInstanceName(Name name) {
        return name.labels() > SERVICE_TYPE.labels() && name.subdomain(SERVICE_TYPE)
                && !DnsLabels.firstLabel(name).startsWith("_"); // not a subtype such as _sub._webthing._tcp
    }

    static Name child(String label) {
        return DnsLabels.child(label, SERVICE_TYPE);
    }

    static String label(Name name) {
        return DnsLabels.instanceName(name, SERVICE_TYPE);
    }

    private static long seconds(long ttl) {
        return TimeUnit.SECONDS.toNanos(Math.min(ttl, 0x7fffffffL));
    }
}
