package io.wasmiot.gateway.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a {@link Lab} builds: subnets, hosts on them, routers, routes and loss. */
final class LabTopology {
    final Map<String, Integer> subnets = new LinkedHashMap<>();
    final Map<String, HostSpec> hosts = new LinkedHashMap<>();

    /** A subnet (a bridge): 10.91.{n}.0/24, n counted from 1 in the order subnets are named. */
    LabTopology subnet(String name) {
        subnets.putIfAbsent(name, subnets.size() + 1);
        return this;
    }

    /**
     * A host with one NIC per {@code "subnet=hostNumber"}, named eth0, eth1... in that order; the
     * subnet is created when it is new.
     */
    LabTopology host(String name, String... nics) {
        HostSpec host = new HostSpec(name);
        for (String nic : nics) {
            String[] parts = nic.split("=");
            subnet(parts[0]);
            host.nics.add(new NicSpec(parts[0], Integer.parseInt(parts[1])));
        }
        hosts.put(name, host);
        return this;
    }

    /** A host that forwards IPv4 between its NICs. */
    LabTopology router(String name, String... nics) {
        host(name, nics);
        hosts.get(name).forwarding = true;
        return this;
    }

    /** On {@code host}, a route to {@code subnet} through {@code "subnet=hostNumber"} (a router's address). */
    LabTopology route(String host, String subnet, String via) {
        subnet(subnet);
        hosts.get(host).routes.add(new String[] {subnet, via});
        return this;
    }

    /** Drops {@code percent} of the mDNS datagrams arriving at {@code host}. */
    LabTopology loss(String host, int percent) {
        hosts.get(host).lossPercent = percent;
        return this;
    }

    static final class HostSpec {
        final String name;
        final List<NicSpec> nics = new ArrayList<>();
        final List<String[]> routes = new ArrayList<>();
        boolean forwarding;
        int lossPercent;

        HostSpec(String name) {
            this.name = name;
        }
    }

    record NicSpec(String subnet, int hostNumber) {
    }
}
