package io.wasmiot.gateway.mdns.transport.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.gateway.mdns.transport.MdnsListener;
import io.wasmiot.gateway.mdns.transport.MdnsTransport;
import io.wasmiot.lib.threads.NamedThreadFactory;

/**
 * The mDNS transport as a DS component: the socket ({@link MdnsChannel}), the interfaces it joins
 * ({@link InterfaceSelection}, checked every {@code interfaceCheckSeconds}), the gateway's own
 * advertisement ({@link SelfAdvertisement}) and the whiteboard of {@link MdnsListener}s that every
 * datagram goes to. A configuration change reopens it; listeners stay bound and are told the
 * interfaces again.
 */
@Component(service = {MdnsTransport.class, MetricsProvider.class}, immediate = true,
        configurationPid = TransportConfig.PID)
@Designate(ocd = TransportConfig.class)
public class MdnsTransportComponent implements MdnsTransport, MetricsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsTransportComponent.class);

    private final TransportConfig config;
    private final int gatewayPort;
    private final ScheduledThreadPoolExecutor timer;
    private final MdnsChannel channel;
    private final List<MdnsListener> listeners = new CopyOnWriteArrayList<>();
    /** Interfaces in use, by name: written on the timer thread, read anywhere. */
    private volatile Map<String, InterfaceSelection.Selected> inUse = Map.of();
    private volatile SelfAdvertisement self;
    private volatile boolean closed;

    @Activate
    public MdnsTransportComponent(TransportConfig config, BundleContext context) throws IOException {
        this.config = CheckedTransportConfig.of(config, LOG::warn);
        this.gatewayPort = parsePort(context.getProperty("org.osgi.service.http.port"));
        this.timer = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-mdns-timer"));
        timer.setRemoveOnCancelPolicy(true);
        try {
            this.channel = new MdnsChannel(this.config.receiveBufferBytes(), this::dispatch, "wasmiot-mdns-receive");
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        timer.execute(this::syncInterfaces);
        timer.scheduleWithFixedDelay(this::syncInterfaces, this.config.interfaceCheckSeconds(),
                this.config.interfaceCheckSeconds(), TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(MdnsListener listener) {
        listeners.add(listener);
        submit(() -> {
            for (InterfaceSelection.Selected nic : inUse.values()) {
                nic.addresses().forEach(address -> tellUp(listener, address));
            }
        });
    }

    void removeListener(MdnsListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    void deactivate() {
        closed = true;
        SelfAdvertisement advertisement = self;
        if (advertisement != null) {
            advertisement.stop(); // goodbye while the socket is still open
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        LOG.info("mDNS: socket closed");
    }

    // ---- MdnsTransport ----------------------------------------------------------------------

    @Override
    public void multicast(Message message) {
        byte[] wire = message.toWire(MdnsChannel.MAX_DATAGRAM);
        for (InterfaceSelection.Selected nic : inUse.values()) {
            try {
                channel.send(wire, nic.nic());
            } catch (IOException | RuntimeException e) {
                LOG.debug("mDNS: sending on {} failed: {}", nic.nic().getName(), e.toString());
            }
        }
    }

    @Override
    public Set<InetAddress> addresses() {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        inUse.values().forEach(nic -> addresses.addAll(nic.addresses()));
        return addresses;
    }

    @Override
    public boolean isGatewayInstance(String instanceName) {
        SelfAdvertisement advertisement = self;
        return isGatewayName(instanceName, config.selfName())
                || (advertisement != null && advertisement.instanceName().equals(instanceName));
    }

    /** {@code selfName}, or the name a second advertiser of it gets: {@code selfName (N)}. */
    static boolean isGatewayName(String name, String selfName) {
        if (name.equals(selfName)) {
            return true;
        }
        return name.startsWith(selfName + " (") && name.endsWith(")")
                && name.substring(selfName.length() + 2, name.length() - 1).matches("[0-9]{1,4}");
    }

    @Override
    public List<MetricSample> metrics() {
        return List.of(
                MetricSample.counter("wasmiot_mdns_datagrams_received_total", "mDNS datagrams read from the socket",
                        channel.received.get()),
                MetricSample.counter("wasmiot_mdns_datagrams_malformed_total",
                        "mDNS datagrams that were not DNS messages", channel.malformed.get()),
                MetricSample.counter("wasmiot_mdns_datagrams_sent_total", "mDNS datagrams sent (one per interface)",
                        channel.sent.get()),
                MetricSample.gauge("wasmiot_mdns_interfaces", "Interfaces the mDNS socket listens on", inUse.size()),
                MetricSample.gauge("wasmiot_mdns_receive_buffer_bytes", "The socket's receive buffer as granted",
                        channel.receiveBufferBytes));
    }

    // ---- the wire --------------------------------------------------------------------------

    private void dispatch(Message message, InetSocketAddress sender) {
        SelfAdvertisement advertisement = self;
        if (advertisement != null) {
            advertisement.received(message, sender);
        }
        for (MdnsListener listener : listeners) {
            try {
                listener.received(message, sender);
            } catch (RuntimeException e) {
                LOG.warn("mDNS: a listener failed on a datagram from {}: {}", sender, e.toString());
            }
        }
    }

    private void syncInterfaces() {
        if (closed) {
            return;
        }
        Set<String> named = new HashSet<>(List.of(config.interfaces()));
        named.removeIf(String::isBlank);
        Map<String, InterfaceSelection.Selected> wanted;
        try {
            wanted = InterfaceSelection.wanted(named);
        } catch (SocketException e) {
            LOG.warn("mDNS: cannot list network interfaces: {}", e.getMessage());
            return;
        }
        Map<String, InterfaceSelection.Selected> before = inUse;
        boolean changed = false;
        for (Map.Entry<String, InterfaceSelection.Selected> gone : before.entrySet()) {
            if (!wanted.containsKey(gone.getKey())) {
                channel.leave(gone.getKey());
                LOG.info("mDNS: interface {} ({}) went away; leaving the group there", gone.getKey(),
                        text(gone.getValue().addresses()));
                changed = true;
            }
        }
        Map<String, InterfaceSelection.Selected> now = new LinkedHashMap<>();
        List<InetAddress> up = new ArrayList<>();
        for (Map.Entry<String, InterfaceSelection.Selected> entry : wanted.entrySet()) {
            InterfaceSelection.Selected nic = entry.getValue();
            InterfaceSelection.Selected old = before.get(entry.getKey());
            if (old == null || old.nic().getIndex() != nic.nic().getIndex()) {
                try {
                    channel.join(nic.nic());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("mDNS: cannot join the group on {}: {}", entry.getKey(), e.toString());
                    continue;
                }
                LOG.info("mDNS: listening on {} ({})", entry.getKey(), text(nic.addresses()));
                up.addAll(nic.addresses());
                changed = true;
            } else if (!old.addresses().equals(nic.addresses())) {
                LOG.info("mDNS: interface {} now has {} (was {})", entry.getKey(), text(nic.addresses()),
                        text(old.addresses()));
                nic.addresses().stream().filter(a -> !old.addresses().contains(a)).forEach(up::add);
                changed = true;
            }
            now.put(entry.getKey(), nic);
        }
        inUse = Map.copyOf(now);
        if (inUse.isEmpty() && !before.isEmpty()) {
            LOG.warn("mDNS: no interface to listen on");
        }
        startOrRefreshAdvertisement(changed);
        for (InetAddress address : up) {
            for (MdnsListener listener : listeners) {
                tellUp(listener, address);
            }
        }
    }

    private void startOrRefreshAdvertisement(boolean interfacesChanged) {
        if (!config.advertiseSelf() || inUse.isEmpty()) {
            return;
        }
        if (self == null) {
            InetAddress first = inUse.values().iterator().next().addresses().get(0);
            SelfAdvertisement advertisement = new SelfAdvertisement(config.selfName(), gatewayPort, first,
                    new SelfAdvertisement.Wire() {
                        @Override
                        public List<InterfaceSelection.Selected> interfaces() {
                            return List.copyOf(inUse.values());
                        }

                        @Override
                        public void multicast(InterfaceSelection.Selected nic, Message message) {
                            try {
                                channel.send(message.toWire(MdnsChannel.MAX_DATAGRAM), nic.nic());
                            } catch (IOException | RuntimeException e) {
                                LOG.debug("mDNS: advertising on {} failed: {}", nic.nic().getName(), e.toString());
                            }
                        }

                        @Override
                        public void unicast(InetSocketAddress target, Message message) {
                            try {
                                channel.sendTo(message.toWire(MdnsChannel.MAX_DATAGRAM), target);
                            } catch (IOException | RuntimeException e) {
                                LOG.debug("mDNS: answering {} failed: {}", target, e.toString());
                            }
                        }
                    }, timer);
            self = advertisement;
            advertisement.start();
        } else if (interfacesChanged) {
            self.announce();
        }
    }

    private static void tellUp(MdnsListener listener, InetAddress address) {
        try {
            listener.interfaceUp(address);
        } catch (RuntimeException e) {
            LOG.warn("mDNS: a listener failed on interface {} coming up: {}", address.getHostAddress(), e.toString());
        }
    }

    private void submit(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // deactivated meanwhile
        }
    }

    private static String text(List<InetAddress> addresses) {
        return String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
    }

    private static int parsePort(String property) {
        try {
            return property == null ? 3000 : Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            return 3000;
        }
    }
}
