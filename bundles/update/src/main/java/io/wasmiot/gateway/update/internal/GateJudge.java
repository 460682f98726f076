package io.wasmiot.gateway.update.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Bundle;

/**
 * The health gate's decisions, from snapshots only (no framework): what fails an update at once
 * during the window, and the verdict at its end. "Newly" is against the snapshot taken before the
 * update: a readiness check that was already CRITICAL, or a component already waiting for a
 * reference, is not the update's doing (the update may be the fix).
 */
final class GateJudge {
    private GateJudge() {
    }

    /** A failure that needs no more waiting: the bundle is not ACTIVE, or a component threw in activate. */
    static Optional<String> immediateFailure(GateSnapshot now) {
        if (now.bundleState() != Bundle.ACTIVE) {
            return Optional.of("the bundle is " + stateName(now.bundleState()) + ", not ACTIVE");
        }
        if (!now.failedComponents().isEmpty()) {
            String name = new TreeSet<>(now.failedComponents().keySet()).first();
            return Optional.of("component " + name + " failed to activate: " + now.failedComponents().get(name));
        }
        return Optional.empty();
    }

    /** The verdict at the end of the window: empty to commit, else the reason to roll back. */
    static Optional<String> verdict(GateSnapshot before, GateSnapshot after, int maxDevicesLost) {
        Optional<String> immediate = immediateFailure(after);
        if (immediate.isPresent()) {
            return immediate;
        }
        Set<String> gone = newly(before.services(), after.services());
        if (!gone.isEmpty()) {
            return Optional.of("the bundle no longer provides " + gone);
        }
        Set<String> unsatisfied = newly(after.unsatisfiedComponents(), before.unsatisfiedComponents());
        if (!unsatisfied.isEmpty()) {
            return Optional.of("components waiting for a service they need: " + unsatisfied);
        }
        Set<String> critical = newly(after.criticalChecks(), before.criticalChecks());
        if (!critical.isEmpty()) {
            return Optional.of("readiness checks CRITICAL: " + critical);
        }
        if (before.deviceNames() == null) {
            return Optional.empty(); // nothing to compare with: the store was away before the update
        }
        if (after.deviceNames() == null) {
            return Optional.of("the device list could not be read at the end of the window");
        }
        Set<String> lost = newly(before.deviceNames(), after.deviceNames());
        if (lost.size() > maxDevicesLost) {
            List<String> some = lost.stream().limit(10).toList();
            return Optional.of(lost.size() + " device(s) lost (at most " + maxDevicesLost + " allowed): " + some
                    + (lost.size() > some.size() ? " and more" : ""));
        }
        return Optional.empty();
    }

    private static Set<String> newly(Set<String> now, Set<String> before) {
        Set<String> difference = new TreeSet<>(now);
        difference.removeAll(before);
        return difference;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "in state " + state;
        };
    }
}
