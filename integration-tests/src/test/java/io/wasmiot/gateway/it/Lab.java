package io.wasmiot.gateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Assume;

/**
 * A field network on this machine: hosts are network namespaces made inside the test's own private
 * namespace ({@code bin/netns-run}), each joined to Linux bridges (the subnets) by veth pairs, with
 * addresses from 10.91.0.0/16, a route for 224.0.0.0/4 on every NIC, optional IPv4 forwarding
 * (a router), static routes, and nftables rules that drop a share of incoming mDNS datagrams or cut
 * a host off. Nothing here reaches beyond the namespaces it made: the bridges live in the test's
 * namespace, which holds no other interface but its loopback.
 *
 * <p>The test JVM reaches a gateway through a management link ({@link #managementAddress}): a veth
 * pair without multicast, so the gateway's mDNS never browses it, on 10.254.0.0/16.
 *
 * <p>{@link #close} tears everything down whatever happened: it kills every process left in the
 * hosts, then deletes the hosts and the bridges.
 */
final class Lab implements AutoCloseable {
    private static final AtomicInteger LABS = new AtomicInteger();

    private final int id = LABS.incrementAndGet();
    private final LabTopology topology;
    /** Host name to its index (for interface names) and its NICs' subnet to interface name. */
    private final Map<String, Integer> hostIndex = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> nicNames = new LinkedHashMap<>();
    private final Map<String, Integer> nextNic = new LinkedHashMap<>();
    private final Map<String, String> management = new LinkedHashMap<>();
    private final List<String> madeHosts = new ArrayList<>();
    private final List<String> madeLinks = new ArrayList<>();
    private final StringBuilder journal = new StringBuilder();

    private Lab(LabTopology topology) {
        this.topology = topology;
    }

    /**
     * Builds {@code topology}. Skips the test when this machine cannot (not root, no private
     * {@code /run/netns}, no nftables) unless {@code CI} is set, where that is a failure.
     */
    static Lab build(LabTopology topology) {
        String missing = missingPrerequisite();
        if (missing != null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("the field network lab cannot run here: " + missing);
            }
            Assume.assumeTrue("field network lab skipped: " + missing, false);
        }
        Lab lab = new Lab(topology);
        try {
            lab.make();
            return lab;
        } catch (RuntimeException | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    private static String missingPrerequisite() {
        if (!"root".equals(System.getProperty("user.name")) && !isRoot()) {
            return "not root";
        }
        if (!new java.io.File("/run/netns").isDirectory()) {
            return "no /run/netns (run the tests under bin/netns-run)";
        }
        for (String tool : List.of("ip", "nft")) {
            if (!onPath(tool)) {
                return tool + " is not installed (apt-get install " + (tool.equals("ip") ? "iproute2" : "nftables") + ")";
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return Runtime.getRuntime().exec(new String[] {"id", "-u"}).inputReader().readLine().trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) {
                return true;
            }
        }
        return new java.io.File("/usr/sbin/" + tool).canExecute() || new java.io.File("/sbin/" + tool).canExecute();
    }

    private void make() {
        for (String subnet : topology.subnets.keySet()) {
            String bridge = bridge(subnet);
            run("ip", "link", "add", bridge, "type", "bridge", "mcast_snooping", "0");
            madeLinks.add(bridge);
            run("ip", "link", "set", bridge, "up");
        }
        for (LabTopology.HostSpec host : topology.hosts.values()) {
            hostIndex.put(host.name, hostIndex.size() + 1);
            run("ip", "netns", "add", namespace(host.name));
            madeHosts.add(host.name);
            inHost(host.name, "ip", "link", "set", "lo", "up");
            // as most distributions do: removing an address keeps the others of its subnet (a renumbering)
            inHost(host.name, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/conf/all/promote_secondaries");
            for (LabTopology.NicSpec nic : host.nics) {
                addNic(host.name, nic.subnet(), nic.hostNumber());
            }
            if (host.forwarding) {
                inHost(host.name, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
            }
            for (String[] route : host.routes) {
                inHost(host.name, "ip", "route", "add", cidr(route[0]), "via", address(route[1]));
            }
            inHost(host.name, "nft", "add", "table", "inet", "lab");
            inHost(host.name, "nft", "add", "chain", "inet", "lab", "loss",
                    "{ type filter hook input priority 0 ; }");
            inHost(host.name, "nft", "add", "chain", "inet", "lab", "cutin",
                    "{ type filter hook input priority -10 ; }");
            inHost(host.name, "nft", "add", "chain", "inet", "lab", "cutout",
                    "{ type filter hook output priority -10 ; }");
            if (host.lossPercent > 0) {
                loss(host.name, host.lossPercent);
            }
        }
    }

    // ---- names and addresses -------------------------------------------------------------------

    private String namespace(String host) {
        return "lab" + id + "-" + host;
    }

    private String bridge(String subnet) {
        return "l" + id + "br" + subnetNumber(subnet);
    }

    private int subnetNumber(String subnet) {
        Integer number = topology.subnets.get(subnet);
        if (number == null) {
            throw new IllegalArgumentException("no subnet " + subnet);
        }
        return number;
    }

    /** The subnet's CIDR, 10.91.n.0/24. */
    String cidr(String subnet) {
        return "10.91." + subnetNumber(subnet) + ".0/24";
    }

    /** The address of {@code "subnet=hostNumber"}. */
    String address(String subnetAndHost) {
        String[] parts = subnetAndHost.split("=");
        return address(parts[0], Integer.parseInt(parts[1]));
    }

    String address(String subnet, int hostNumber) {
        return "10.91." + subnetNumber(subnet) + "." + hostNumber;
    }

    /** The name of {@code host}'s NIC on {@code subnet} (eth0, eth1...). */
    String nic(String host, String subnet) {
        String name = nicNames.getOrDefault(host, Map.of()).get(subnet);
        if (name == null) {
            throw new IllegalArgumentException(host + " has no NIC on " + subnet);
        }
        return name;
    }

    // ---- running things in hosts ---------------------------------------------------------------

    /** The command prefix that runs a program inside {@code host}. */
    List<String> prefix(String host) {
        if (!hostIndex.containsKey(host)) {
            throw new IllegalArgumentException("no host " + host);
        }
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /** Runs a command inside {@code host} and returns its output; fails when it fails. */
    String inHost(String host, String... command) {
        List<String> full = new ArrayList<>(prefix(host));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * The address at which the test JVM reaches {@code host}: a management veth pair made on first
     * use, 10.254.{host index}.2, multicast off on both ends (the gateway's mDNS skips it).
     */
    String managementAddress(String host) {
        return management.computeIfAbsent(host, h -> {
            int index = hostIndex.get(h);
            String outside = "l" + id + "h" + index + "m";
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", "mgmt", "netns", namespace(h));
            madeLinks.add(outside);
            run("ip", "link", "set", outside, "multicast", "off");
            run("ip", "addr", "add", "10.254." + index + ".1/30", "dev", outside);
            run("ip", "link", "set", outside, "up");
            inHost(h, "ip", "link", "set", "mgmt", "multicast", "off");
            inHost(h, "ip", "addr", "add", "10.254." + index + ".2/30", "dev", "mgmt");
            inHost(h, "ip", "link", "set", "mgmt", "up");
            return "10.254." + index + ".2";
        });
    }

    // ---- changes while things run --------------------------------------------------------------

    /** Adds a NIC on {@code subnet} to {@code host} with the given host number; returns its name. */
    String addNic(String host, String subnet, int hostNumber) {
        int nicIndex = nextNic.merge(host, 1, Integer::sum) - 1;
        String inside = "eth" + nicIndex;
        String outside = "l" + id + "h" + hostIndex.get(host) + "e" + nicIndex;
        run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", namespace(host));
        madeLinks.add(outside);
        run("ip", "link", "set", outside, "master", bridge(subnet));
        run("ip", "link", "set", outside, "up");
        inHost(host, "ip", "addr", "add", address(subnet, hostNumber) + "/24", "dev", inside);
        inHost(host, "ip", "link", "set", inside, "up");
        inHost(host, "ip", "route", "add", "224.0.0.0/4", "dev", inside, "metric", String.valueOf(nicIndex));
        nicNames.computeIfAbsent(host, h -> new LinkedHashMap<>()).put(subnet, inside);
        return inside;
    }

    /** Removes {@code host}'s NIC on {@code subnet} (the veth pair is deleted: unplugged, not just down). */
    void removeNic(String host, String subnet) {
        String inside = nic(host, subnet);
        inHost(host, "ip", "link", "del", inside);
        nicNames.get(host).remove(subnet);
    }

    /** Gives {@code host}'s NIC on {@code subnet} another host number (DHCP renumbering): old address out, new in. */
    void renumber(String host, String subnet, int oldNumber, int newNumber) {
        String inside = nic(host, subnet);
        inHost(host, "ip", "addr", "del", address(subnet, oldNumber) + "/24", "dev", inside);
        inHost(host, "ip", "addr", "add", address(subnet, newNumber) + "/24", "dev", inside);
    }

    /**
     * The cable of {@code host}'s NIC on {@code subnet} pulled ({@code false}) or plugged back: the
     * bridge's end goes down, so the host's NIC loses its carrier but keeps its address and routes.
     */
    void cable(String host, String subnet, boolean plugged) {
        String inside = nic(host, subnet);
        String outside = "l" + id + "h" + hostIndex.get(host) + "e" + inside.substring(3);
        run("ip", "link", "set", outside, plugged ? "up" : "down");
    }

    /** Adds a second address, {@code hostNumber} on {@code subnet}, to {@code host}'s NIC there. */
    void addAddress(String host, String subnet, int hostNumber) {
        inHost(host, "ip", "addr", "add", address(subnet, hostNumber) + "/24", "dev", nic(host, subnet));
    }

    /** Removes the address {@code hostNumber} on {@code subnet} from {@code host}'s NIC there. */
    void removeAddress(String host, String subnet, int hostNumber) {
        inHost(host, "ip", "addr", "del", address(subnet, hostNumber) + "/24", "dev", nic(host, subnet));
    }

    /**
     * Drops {@code percent} (0 = none) of the mDNS datagrams arriving at {@code host}, at random; the
     * counters of {@link #lossCounters} start again from 0.
     */
    void loss(String host, int percent) {
        inHost(host, "nft", "flush", "chain", "inet", "lab", "loss");
        if (percent > 0) {
            inHost(host, "nft", "add", "rule", "inet", "lab", "loss", "udp", "dport", "5353", "counter");
            inHost(host, "nft", "add", "rule", "inet", "lab", "loss", "udp", "dport", "5353",
                    "numgen", "random", "mod", "100", "lt", String.valueOf(percent), "counter", "drop");
        }
    }

    /** {arrived, dropped}: the mDNS datagrams that reached {@code host}'s loss rule since it was set. */
    long[] lossCounters(String host) {
        java.util.regex.Matcher counter = java.util.regex.Pattern.compile("counter packets ([0-9]+)")
                .matcher(inHost(host, "nft", "list", "chain", "inet", "lab", "loss"));
        long[] counts = new long[2];
        for (int i = 0; i < 2 && counter.find(); i++) {
            counts[i] = Long.parseLong(counter.group(1));
        }
        return counts;
    }

    /** Cuts {@code host} off its subnets both ways (everything but loopback and management), or heals it. */
    void cut(String host, boolean cut) {
        inHost(host, "nft", "flush", "chain", "inet", "lab", "cutin");
        inHost(host, "nft", "flush", "chain", "inet", "lab", "cutout");
        if (cut) {
            inHost(host, "nft", "add", "rule", "inet", "lab", "cutin", "iifname", "eth*", "drop");
            inHost(host, "nft", "add", "rule", "inet", "lab", "cutout", "oifname", "eth*", "drop");
        }
    }

    /** The commands run so far, for a failure's message. */
    String journal() {
        return journal.toString();
    }

    // ---- teardown ------------------------------------------------------------------------------

    @Override
    public void close() {
        for (String host : madeHosts) {
            String pids = runQuietly("ip", "netns", "pids", namespace(host));
            for (String pid : pids.split("\\s+")) {
                if (!pid.isBlank()) {
                    runQuietly("kill", "-9", pid.trim());
                }
            }
        }
        for (String host : madeHosts) {
            runQuietly("ip", "netns", "del", namespace(host));
        }
        for (String link : madeLinks) {
            runQuietly("ip", "link", "del", link); // most are gone with their namespace's end
        }
        madeHosts.clear();
        madeLinks.clear();
    }

    private String run(String... command) {
        journal.append(String.join(" ", command)).append('\n');
        Result result = exec(command);
        if (result.status != 0) {
            throw new IllegalStateException("lab: '" + String.join(" ", command) + "' failed (" + result.status + "): "
                    + result.output.strip());
        }
        return result.output;
    }

    private static String runQuietly(String... command) {
        return exec(command).output;
    }

    private record Result(int status, String output) {
    }

    private static Result exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
