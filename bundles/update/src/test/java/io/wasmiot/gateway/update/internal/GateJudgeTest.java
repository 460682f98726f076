package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;
import org.osgi.framework.Bundle;

import io.wasmiot.gateway.api.source.SessionActivity;

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

    private static final Instant OPENED = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant REOPENED = OPENED.plusSeconds(60);

    private static GateSnapshot withSessions(SessionActivity... sessions) {
        return new GateSnapshot(Bundle.ACTIVE, SERVICES, Map.of(), Set.of(), Set.of(), DEVICES, List.of(sessions));
    }

    @Test
    public void aReopenedSourceThatStaysSilentStoppedDiscovering() {
        GateSnapshot before = withSessions(new SessionActivity("static", 12, false, OPENED, 3, 0),
                new SessionActivity("mdns", 9, false, OPENED, 40, 1));
        GateSnapshot silent = withSessions(new SessionActivity("static", 12, false, REOPENED, 0, 0),
                new SessionActivity("mdns", 9, false, OPENED, 41, 1));
        assertEquals(Optional.of("discovery source 'static' (bundle 12) reported no device since it was reopened; it had "
                + "reported 3 sighting(s) before the update: it stopped discovering"), GateJudge.verdict(before, silent, 0));

        GateSnapshot replayed = withSessions(new SessionActivity("static", 12, false, REOPENED, 1, 0),
                new SessionActivity("mdns", 9, false, OPENED, 41, 1));
        assertEquals("one replayed sighting is discovery", Optional.empty(), GateJudge.verdict(before, replayed, 0));
    }

    @Test
    public void aSourceThatReportedAndIsNoLongerOpenFails() {
        GateSnapshot before = withSessions(new SessionActivity("static", 12, false, OPENED, 3, 0));
        assertTrue(GateJudge.verdict(before, withSessions(), 0).orElseThrow()
                .startsWith("discovery source 'static' (bundle 12) is no longer open"));
    }

    @Test
    public void pushSourcesSilentSourcesNotReopenedAndAnAbsentCoreAreNotJudged() {
        GateSnapshot pushBefore = withSessions(new SessionActivity("register", 20, true, OPENED, 5, 0));
        assertEquals("a push source has nothing to replay", Optional.empty(), GateJudge.verdict(pushBefore,
                withSessions(new SessionActivity("register", 20, true, REOPENED, 0, 0)), 0));
        GateSnapshot neverReported = withSessions(new SessionActivity("static", 12, false, OPENED, 0, 0));
        assertEquals("nothing owed", Optional.empty(), GateJudge.verdict(neverReported,
                withSessions(new SessionActivity("static", 12, false, REOPENED, 0, 0)), 0));
        GateSnapshot reported = withSessions(new SessionActivity("static", 12, false, OPENED, 3, 0));
        assertEquals("the same session: not reopened by the update", Optional.empty(), GateJudge.verdict(reported,
                withSessions(new SessionActivity("static", 12, false, OPENED, 3, 0)), 0));
        assertEquals("no core after: the readiness checks judge", Optional.empty(), GateJudge.verdict(reported, HEALTHY, 0));
    }
}
