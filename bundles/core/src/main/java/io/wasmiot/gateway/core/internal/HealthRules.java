package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.StatusChange;

/** The counters, status changes and address order of docs/contract.md §4, as pure functions. */
final class HealthRules {
    private final int failuresBeforeInactive;
    private final int successesBeforeActive;
    private final Duration forgetAfter;
    private final int statusLogLength;

    HealthRules(int failuresBeforeInactive, int successesBeforeActive, Duration forgetAfter, int statusLogLength) {
        this.failuresBeforeInactive = failuresBeforeInactive;
        this.successesBeforeActive = successesBeforeActive;
        this.forgetAfter = forgetAfter;
        this.statusLogLength = statusLogLength;
    }

    /** A successful check: counters, health, address order; inactive turns active after enough successes. */
    Device succeeded(Device device, Health health, String workingAddress, List<String> failedAddresses, Instant now) {
        Device checked = device
                .withHealthCheck(health, 0, device.okHealthCheckCount() + 1)
                .withCommunication(workingFirst(device.communication(), workingAddress, failedAddresses))
                .withLastSeen(now);
        if (checked.status() == DeviceStatus.INACTIVE && !checked.blacklisted()
                && checked.okHealthCheckCount() >= successesBeforeActive) {
            return checked.withStatus(new StatusChange(DeviceStatus.ACTIVE, now,
                    checked.okHealthCheckCount() + " health checks succeeded"), statusLogLength);
        }
        return checked;
    }

    /**
     * The check that ends an introduction succeeded: a device that announced itself again (a restart,
     * a move, a return after a long absence) and answers is active at once, without waiting for
     * {@code successesBeforeActive} sweeps (docs/contract.md §3: a device is listed from its introduction on).
     */
    Device introducedAndAnswered(Device device, Instant now) {
        if (device.status() == DeviceStatus.INACTIVE && !device.blacklisted()) {
            return device.withStatus(new StatusChange(DeviceStatus.ACTIVE, now,
                    "announced itself again and answered"), statusLogLength);
        }
        return device;
    }

    /** A failed check: counters and health only; the status decision waits for the sweep's end (the brake). */
    Device failed(Device device, Health health) {
        return device.withHealthCheck(health, device.failedHealthCheckCount() + 1, 0);
    }

    /** After a sweep without the brake: active turns inactive after enough consecutive failures. */
    Device afterFailures(Device device, String failure, Instant now) {
        if (device.status() == DeviceStatus.ACTIVE && device.failedHealthCheckCount() >= failuresBeforeInactive) {
            return device.withStatus(new StatusChange(DeviceStatus.INACTIVE, now,
                    device.failedHealthCheckCount() + " health checks failed: " + failure), statusLogLength);
        }
        return device;
    }

    boolean shouldForget(Device device, Instant now) {
        if (device.status() != DeviceStatus.INACTIVE || device.blacklisted()) {
            return false;
        }
        Instant inactiveSince = device.statusLog().isEmpty() ? device.lastSeen() : device.statusLog().get(0).time();
        return inactiveSince.plus(forgetAfter).isBefore(now);
    }

    Device blacklisted(Device device, boolean blacklisted, Instant now) {
        Device changed = device.withBlacklisted(blacklisted);
        if (blacklisted && changed.status() == DeviceStatus.ACTIVE) {
            return changed.withStatus(new StatusChange(DeviceStatus.INACTIVE, now, "blacklisted"), statusLogLength);
        }
        return changed;
    }

    /**
     * More than half of at least four checked devices could not be reached: the gateway's own network
     * is the likely fault.
     */
    static boolean brake(int checked, int unreachable) {
        return checked >= 4 && unreachable * 2 > checked;
    }

    /**
     * The address that answered goes first; addresses that failed while another worked are dropped
     * (docs/contract.md §4); the rest keep their order.
     */
    static Communication workingFirst(Communication communication, String working, List<String> failed) {
        if (working == null) {
            return communication;
        }
        List<String> ordered = new ArrayList<>(communication.addresses().size());
        ordered.add(working);
        for (String address : communication.addresses()) {
            if (!address.equals(working) && !failed.contains(address)) {
                ordered.add(address);
            }
        }
        return ordered.equals(communication.addresses()) ? communication : communication.withAddresses(ordered);
    }

    /** Same port, scheme and set of addresses: a repeat, not a move. */
    static boolean samePlace(Communication a, Communication b) {
        return a != null && b != null && a.port() == b.port() && a.tls() == b.tls()
                && a.addresses().size() == b.addresses().size() && a.addresses().containsAll(b.addresses());
    }
}
