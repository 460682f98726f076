package io.wasmiot.gateway.update.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.framework.Bundle;

import io.wasmiot.gateway.api.source.SessionActivity;

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
        Optional<String> silent = silentSource(before.sourceSessions(), after.sourceSessions());
        if (silent.isPresent()) {
            return silent;
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

    /**
     * A source that had reported devices and was reopened during the window (its bundle updated, or the
     * core) owes a replay: still silent at the window's end, or no longer open, it stopped discovering.
     * Push sources (the register endpoint) have nothing to replay and are not judged; a source that
     * was not reopened is not the update's doing.
     */
    static Optional<String> silentSource(List<SessionActivity> before, List<SessionActivity> after) {
        if (before == null || after == null) {
            return Optional.empty(); // no core to ask before or after: the readiness checks judge that
        }
        Map<String, SessionActivity> now = bySource(after);
        for (Map.Entry<String, SessionActivity> was : bySource(before).entrySet()) {
            SessionActivity previous = was.getValue();
            if (previous.push() || previous.sightings() == 0) {
                continue;
            }
            SessionActivity current = now.get(was.getKey());
            String source = "discovery source '" + previous.sourceId() + "' (bundle " + previous.bundleId() + ")";
            if (current == null) {
                return Optional.of(source + " is no longer open; it had reported " + previous.sightings()
                        + " sighting(s) before the update");
            }
            if (current.openedAt().isAfter(previous.openedAt()) && current.sightings() == 0) {
                return Optional.of(source + " reported no device since it was reopened; it had reported "
                        + previous.sightings() + " sighting(s) before the update: it stopped discovering");
            }
        }
        return Optional.empty();
    }

    /** Sessions by bundle and source id; two sessions under one key (one bundle, two sources of one id) summed, newest opening kept. */
    private static Map<String, SessionActivity> bySource(List<SessionActivity> sessions) {
        Map<String, SessionActivity> keyed = new TreeMap<>();
        for (SessionActivity session : sessions) {
            keyed.merge(session.bundleId() + "/" + session.sourceId(), session, (a, b) -> new SessionActivity(
                    a.sourceId(), a.bundleId(), a.push() && b.push(),
                    a.openedAt().isAfter(b.openedAt()) ? a.openedAt() : b.openedAt(),
                    a.sightings() + b.sightings(), a.goodbyes() + b.goodbyes()));
        }
        return keyed;
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
