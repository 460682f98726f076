package io.wasmiot.gateway.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.wasmiot.gateway.api.DiscoveryControl;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.StatusChange;
import io.wasmiot.gateway.api.store.DeviceStore;

/** Gogo commands in scope {@code wasmiot}: the device list and the operator's actions. */
@Component(service = Object.class, property = {
        "osgi.command.scope=wasmiot",
        "osgi.command.function=devices",
        "osgi.command.function=device",
        "osgi.command.function=forget",
        "osgi.command.function=blacklist",
        "osgi.command.function=unblacklist",
        "osgi.command.function=rescan",
        "osgi.command.function=register"})
public class DeviceCommands {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DiscoveryControl control;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HandRegistrations registrations;

    @Descriptor("lists the devices: name, status, address:port, last health and its age")
    public String devices() {
        List<Device> devices = store().findAll();
        Instant now = Instant.now();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATUS", "ADDRESS", "HEALTH", "AGE", "ID"});
        for (Device device : devices) {
            rows.add(new String[] {device.name(),
                    device.status().wireName() + (device.blacklisted() ? " (blacklisted)" : ""),
                    where(device.communication()),
                    device.health() == null ? "-" : device.health().succeeded() ? "ok" : "failed",
                    device.health() == null ? "-" : age(Duration.between(device.health().timeOfQuery(), now)),
                    device.id()});
        }
        return Table.format(rows) + devices.size() + " device(s)";
    }

    @Descriptor("shows one device with its status history")
    public String device(@Descriptor("the device's _id or name") String idOrName) {
        Optional<Device> found = store().findByIdOrName(idOrName);
        if (found.isEmpty()) {
            return "no device with _id or name '" + idOrName + "'";
        }
        Device device = found.get();
        StringBuilder text = new StringBuilder();
        text.append("name         ").append(device.name()).append('\n');
        text.append("_id          ").append(device.id()).append('\n');
        text.append("status       ").append(device.status().wireName())
                .append(device.blacklisted() ? " (blacklisted)" : "").append('\n');
        text.append("address      ").append(where(device.communication()))
                .append(device.communication().tls() ? " (https)" : "").append('\n');
        text.append("source       ").append(device.source()).append('\n');
        text.append("checks       ").append(device.okHealthCheckCount()).append(" ok, ")
                .append(device.failedHealthCheckCount()).append(" failed in a row\n");
        if (device.health() != null) {
            text.append("health       ").append(device.health().timeOfQuery()).append(' ')
                    .append(device.health().succeeded() ? device.health().report() : "(no answer)").append('\n');
        }
        text.append("lastSeen     ").append(device.lastSeen()).append('\n');
        text.append("description  ").append(device.description()).append('\n');
        text.append("history\n");
        for (StatusChange change : device.statusLog()) {
            text.append("  ").append(change.time()).append("  ").append(change.status().wireName())
                    .append(change.reason() == null ? "" : "  " + change.reason()).append('\n');
        }
        return text.toString();
    }

    @Descriptor("forgets a device now")
    public String forget(@Descriptor("the device's _id or name") String idOrName) {
        return control().forget(idOrName, "forgotten by operator (shell)")
                .map(device -> "forgot " + device.name() + " (" + device.id() + ")")
                .orElse("no device with _id or name '" + idOrName + "'");
    }

    @Descriptor("blacklists a device: not checked, inactive")
    public String blacklist(@Descriptor("the device's _id or name") String idOrName) {
        return control().setBlacklisted(idOrName, true)
                .map(device -> "blacklisted " + device.name() + " (" + device.id() + ")")
                .orElse("no device with _id or name '" + idOrName + "'");
    }

    @Descriptor("takes a device off the blacklist: checked again")
    public String unblacklist(@Descriptor("the device's _id or name") String idOrName) {
        return control().setBlacklisted(idOrName, false)
                .map(device -> "unblacklisted " + device.name() + " (" + device.id() + ")")
                .orElse("no device with _id or name '" + idOrName + "'");
    }

    @Descriptor("asks the network for devices again (mDNS query)")
    public String rescan() {
        control().rescan();
        return "rescan requested";
    }

    @Descriptor("registers a device by hand, as POST /file/device/discovery/register does")
    public String register(@Descriptor("IP address") String address, @Descriptor("HTTP port") int port) {
        return register(address, port, address);
    }

    @Descriptor("registers a device by hand, as POST /file/device/discovery/register does")
    public String register(@Descriptor("IP address") String address, @Descriptor("HTTP port") int port,
                           @Descriptor("device name") String name) {
        HandRegistrations current = registrations;
        if (current == null) {
            throw new IllegalStateException("the discovery core is not running");
        }
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            return "not an IP address: " + address;
        }
        current.register(name, new Communication(List.of(address), port));
        return "registered " + name + " at " + address + ":" + port + "; it is listed once its description answers";
    }

    private DeviceStore store() {
        DeviceStore current = store;
        if (current == null) {
            throw new IllegalStateException("the device store is not running");
        }
        return current;
    }

    private DiscoveryControl control() {
        DiscoveryControl current = control;
        if (current == null) {
            throw new IllegalStateException("the discovery core is not running");
        }
        return current;
    }

    static String where(Communication communication) {
        String first = communication.addresses().get(0);
        String host = first.contains(":") ? "[" + first + "]" : first;
        int more = communication.addresses().size() - 1;
        return host + ":" + communication.port() + (more > 0 ? " (+" + more + ")" : "");
    }

    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        return seconds / 3600 + "h";
    }
}
