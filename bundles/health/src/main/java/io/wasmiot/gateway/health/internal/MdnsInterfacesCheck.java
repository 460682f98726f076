package io.wasmiot.gateway.health.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.wasmiot.gateway.mdns.transport.MdnsListener;
import io.wasmiot.gateway.mdns.transport.MdnsTransport;

/**
 * Discovery runs on each interface it should: the mDNS transport is there and joined on every
 * interface its configuration names ({@code interfaces} of {@code wasmiot.gateway.mdns}), or on at
 * least one when it names none, and a discovery source listens to it.
 */
@Component(service = HealthCheck.class, property = {
        Tags.GATEWAY_CHECK + ":Boolean=true", HealthCheck.NAME + "=mDNS on its interfaces",
        HealthCheck.TAGS + "=" + Tags.DISCOVERY, HealthCheck.TAGS + "=" + Tags.READINESS})
public class MdnsInterfacesCheck implements HealthCheck {
    /** The transport's configuration key, published with its service properties. */
    static final String INTERFACES = "interfaces";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Map.Entry<Map<String, Object>, MdnsTransport> transport;

    /** Only how many sources listen: their service objects are never taken. */
    @Reference(service = MdnsListener.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ServiceReference<MdnsListener>> sources = List.of();

    @Override
    public Result execute() {
        Map.Entry<Map<String, Object>, MdnsTransport> current = transport;
        if (current == null) {
            return new Result(Result.Status.CRITICAL, "the mDNS transport is not running");
        }
        return judge(configured(current.getKey().get(INTERFACES)), joined(current.getValue().addresses()),
                sources.size());
    }

    static Result judge(Set<String> configured, Set<String> joined, int sources) {
        if (joined.isEmpty()) {
            return new Result(Result.Status.CRITICAL, configured.isEmpty()
                    ? "mDNS is joined on no interface (none is up, multicast-capable and with an IPv4 address)"
                    : "mDNS is joined on none of the configured interfaces " + configured);
        }
        Set<String> missing = new TreeSet<>(configured);
        missing.removeAll(joined);
        if (!missing.isEmpty()) {
            return new Result(Result.Status.CRITICAL, "mDNS is not joined on configured interface(s) " + missing
                    + " (down, without an IPv4 address or without multicast?); joined on " + joined);
        }
        if (sources == 0) {
            return new Result(Result.Status.CRITICAL, "no discovery source listens to mDNS (joined on " + joined + ")");
        }
        return new Result(Result.Status.OK, "mDNS joined on " + joined + "; " + sources + " discovery source(s)");
    }

    /** The interface names the transport's configuration lists: a String, String[] or collection. */
    static Set<String> configured(Object property) {
        Set<String> names = new TreeSet<>();
        if (property instanceof String name) {
            names.add(name);
        } else if (property instanceof String[] array) {
            names.addAll(List.of(array));
        } else if (property instanceof Collection<?> collection) {
            collection.forEach(name -> names.add(String.valueOf(name)));
        }
        names.removeIf(String::isBlank);
        return names;
    }

    /** The names of the interfaces that hold {@code addresses}. */
    static Set<String> joined(Set<InetAddress> addresses) {
        Set<String> names = new TreeSet<>();
        for (InetAddress address : addresses) {
            try {
                NetworkInterface nic = NetworkInterface.getByInetAddress(address);
                names.add(nic != null ? nic.getName() : address.getHostAddress());
            } catch (SocketException e) {
                names.add(address.getHostAddress()); // still joined there; only its name is unknown
            }
        }
        return names;
    }
}
