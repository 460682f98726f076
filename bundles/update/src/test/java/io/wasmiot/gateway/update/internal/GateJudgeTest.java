package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;
import org.osgi.framework.Bundle;

public class GateJudgeTest {
    private static final Set<String> DEVICES = Set.of("a", "b", "c");
    private static final Set<String> SERVICES = Set.of("io.wasmiot.gateway.api.source.DiscoverySource");
    private static final GateSnapshot HEALTHY = snapshot(Bundle.ACTIVE, Map.of(), Set.of(), Set.of(), DEVICES);

    private static GateSnapshot snapshot(int state, Map<String, String> failed, Set<String> unsatisfied,
                                         Set<String> critical, Set<String> devices) {
        return new GateSnapshot(state, SERVICES, failed, unsatisfied, critical, devices);
    }

    @Test
    public void anUnchangedHealthyGatewayCommits() {
        assertEquals(Optional.empty(), GateJudge.verdict(HEALTHY, HEALTHY, 0));
    }

    @Test
    public void aBundleLeftInstalledFailsAtOnce() {
        Optional<String> failure = GateJudge.immediateFailure(snapshot(Bundle.INSTALLED, Map.of(), Set.of(), Set.of(), DEVICES));
        assertTrue(failure.orElseThrow(), failure.orElseThrow().contains("INSTALLED"));
    }

    @Test
    public void aComponentThatThrewInActivateFailsAtOnce() {
        Optional<String> failure = GateJudge.immediateFailure(snapshot(Bundle.ACTIVE,
                Map.of("io.wasmiot.gateway.probe.internal.HttpDeviceProber", "java.lang.IllegalStateException: boom"),
                Set.of(), Set.of(), DEVICES));
        assertTrue(failure.orElseThrow(), failure.orElseThrow().contains("HttpDeviceProber failed to activate: java.lang.IllegalStateException: boom"));
    }

    @Test
    public void onlyNewlyCriticalChecksAndNewlyUnsatisfiedComponentsFail() {
        GateSnapshot criticalBefore = snapshot(Bundle.ACTIVE, Map.of(), Set.of("x"), Set.of("mDNS interfaces"), DEVICES);
        assertEquals(Optional.empty(), GateJudge.verdict(criticalBefore, criticalBefore, 0));
        Optional<String> critical = GateJudge.verdict(HEALTHY,
                snapshot(Bundle.ACTIVE, Map.of(), Set.of(), Set.of("Store answers"), DEVICES), 0);
        assertTrue(critical.orElseThrow(), critical.orElseThrow().contains("CRITICAL: [Store answers]"));
        Optional<String> unsatisfied = GateJudge.verdict(HEALTHY,
                snapshot(Bundle.ACTIVE, Map.of(), Set.of("comp"), Set.of(), DEVICES), 0);
        assertTrue(unsatisfied.orElseThrow(), unsatisfied.orElseThrow().contains("[comp]"));
    }

    @Test
    public void aServiceTypeTheBundleNoLongerProvidesFails() {
        GateSnapshot noSource = new GateSnapshot(Bundle.ACTIVE, Set.of("java.lang.Object"), Map.of(), Set.of(), Set.of(),
                DEVICES);
        Optional<String> failure = GateJudge.verdict(HEALTHY, noSource, 0);
        assertTrue(failure.orElseThrow(), failure.orElseThrow().equals(
                "the bundle no longer provides [io.wasmiot.gateway.api.source.DiscoverySource]"));
        assertEquals("a new service type is fine", Optional.empty(), GateJudge.verdict(noSource,
                new GateSnapshot(Bundle.ACTIVE, Set.of("java.lang.Object", "x.Y"), Map.of(), Set.of(), Set.of(), DEVICES), 0));
    }

    @Test
    public void lostDevicesAboveTheAllowanceFailNewDevicesDoNot() {
        GateSnapshot oneLost = snapshot(Bundle.ACTIVE, Map.of(), Set.of(), Set.of(), Set.of("a", "b", "new"));
        Optional<String> failure = GateJudge.verdict(HEALTHY, oneLost, 0);
        assertTrue(failure.orElseThrow(), failure.orElseThrow().startsWith("1 device(s) lost (at most 0 allowed): [c]"));
        assertEquals(Optional.empty(), GateJudge.verdict(HEALTHY, oneLost, 1));
    }

    @Test
    public void anUnreadableListAfterFailsUnknownBeforeDoesNot() {
        GateSnapshot unreadable = snapshot(Bundle.ACTIVE, Map.of(), Set.of(), Set.of(), null);
        assertTrue(GateJudge.verdict(HEALTHY, unreadable, 0).orElseThrow().contains("could not be read"));
        assertEquals(Optional.empty(), GateJudge.verdict(unreadable, HEALTHY, 0));
    }
}
