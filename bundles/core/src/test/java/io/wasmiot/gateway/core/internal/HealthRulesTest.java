package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.StatusChange;

public class HealthRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration FORGET_AFTER = Duration.ofMinutes(5);
    private final HealthRules rules = new HealthRules(3, 2, FORGET_AFTER, 4);

    private static Device device(DeviceStatus status, int failed, int ok) {
        Device introduced = Device.introduced("dev", new Communication(List.of("10.0.0.1", "10.0.0.2"), 5000),
                "{}", "mdns", T0).withId("66a1f0c2e4b0a1b2c3d4e5f6");
        Device withStatus = status == DeviceStatus.ACTIVE ? introduced
                : introduced.withStatus(new StatusChange(DeviceStatus.INACTIVE, T0, "test"), 50);
        return withStatus.withHealthCheck(null, failed, ok);
    }

    private static Health ok(Instant at) {
        return new Health("{\"cpuUsage\":1}", at);
    }

    private static Health failedHealth(Instant at) {
        return new Health(null, at);
    }

    @Test
    public void successResetsFailuresAndCountsOk() {
        Instant now = T0.plusSeconds(30);
        Device after = rules.succeeded(device(DeviceStatus.ACTIVE, 2, 4), ok(now), "10.0.0.1", List.of(), now);
        assertEquals(0, after.failedHealthCheckCount());
        assertEquals(5, after.okHealthCheckCount());
        assertEquals("{\"cpuUsage\":1}", after.health().report());
        assertEquals(now, after.health().timeOfQuery());
        assertEquals(now, after.lastSeen());
        assertEquals(DeviceStatus.ACTIVE, after.status());
        assertEquals("no status change, no log entry", 1, after.statusLog().size());
    }

    @Test
    public void failureResetsOkAndCountsFailuresWithoutChangingStatus() {
        Instant now = T0.plusSeconds(30);
        Device before = device(DeviceStatus.ACTIVE, 7, 9);
        Device after = rules.failed(before, failedHealth(now));
        assertEquals(0, after.okHealthCheckCount());
        assertEquals(8, after.failedHealthCheckCount());
        assertNull(after.health().report());
        assertEquals(now, after.health().timeOfQuery());
        assertEquals("the status waits for the sweep's end (the brake)", DeviceStatus.ACTIVE, after.status());
        assertEquals("a failure does not show the device alive", before.lastSeen(), after.lastSeen());
    }

    @Test
    public void inactiveTurnsActiveOnlyAfterEnoughConsecutiveSuccesses() {
        Device device = device(DeviceStatus.INACTIVE, 6, 0);
        Instant first = T0.plusSeconds(15);
        device = rules.succeeded(device, ok(first), "10.0.0.1", List.of(), first);
        assertEquals(DeviceStatus.INACTIVE, device.status());
        assertEquals(2, device.statusLog().size());

        Instant second = T0.plusSeconds(30);
        device = rules.succeeded(device, ok(second), "10.0.0.1", List.of(), second);
        assertEquals(DeviceStatus.ACTIVE, device.status());
        assertEquals(3, device.statusLog().size());
        StatusChange change = device.statusLog().get(0);
        assertEquals(DeviceStatus.ACTIVE, change.status());
        assertEquals(second, change.time());
        assertTrue(change.reason(), change.reason().contains("2 health checks succeeded"));
    }

    @Test
    public void aFailureInBetweenRestartsTheCountTowardsActive() {
        Device device = device(DeviceStatus.INACTIVE, 6, 0);
        device = rules.succeeded(device, ok(T0), "10.0.0.1", List.of(), T0);
        device = rules.failed(device, failedHealth(T0.plusSeconds(1)));
        device = rules.succeeded(device, ok(T0.plusSeconds(2)), "10.0.0.1", List.of(), T0.plusSeconds(2));
        assertEquals(1, device.okHealthCheckCount());
        assertEquals(DeviceStatus.INACTIVE, device.status());
    }

    @Test
    public void aBlacklistedDeviceStaysInactiveHoweverHealthy() {
        Device device = rules.blacklisted(device(DeviceStatus.ACTIVE, 0, 0), true, T0);
        for (int i = 1; i <= 5; i++) {
            device = rules.succeeded(device, ok(T0.plusSeconds(i)), "10.0.0.1", List.of(), T0.plusSeconds(i));
        }
        assertEquals(5, device.okHealthCheckCount());
        assertEquals(DeviceStatus.INACTIVE, device.status());
    }

    @Test
    public void activeTurnsInactiveOnlyAfterEnoughFailures() {
        Instant now = T0.plusSeconds(60);
        Device two = device(DeviceStatus.ACTIVE, 2, 0);
        assertSame("2 of 3 failures: unchanged", two, rules.afterFailures(two, "refused", now));

        Device after = rules.afterFailures(device(DeviceStatus.ACTIVE, 3, 0), "10.0.0.1: connection refused", now);
        assertEquals(DeviceStatus.INACTIVE, after.status());
        StatusChange change = after.statusLog().get(0);
        assertEquals(DeviceStatus.INACTIVE, change.status());
        assertEquals(now, change.time());
        assertEquals("3 health checks failed: 10.0.0.1: connection refused", change.reason());
    }

    @Test
    public void anInactiveDeviceIsNotLoggedInactiveAgain() {
        Device inactive = device(DeviceStatus.INACTIVE, 9, 0);
        assertSame(inactive, rules.afterFailures(inactive, "refused", T0.plusSeconds(60)));
    }

    @Test
    public void forgottenOnlyAfterBeingInactiveLongerThanForgetAfter() {
        Device inactive = device(DeviceStatus.INACTIVE, 9, 0); // inactive since T0
        assertFalse(rules.shouldForget(inactive, T0.plusSeconds(10)));
        assertFalse("exactly forgetAfter is not longer", rules.shouldForget(inactive, T0.plus(FORGET_AFTER)));
        assertTrue(rules.shouldForget(inactive, T0.plus(FORGET_AFTER).plusMillis(1)));
        assertFalse("active devices are never forgotten for health",
                rules.shouldForget(device(DeviceStatus.ACTIVE, 9, 0), T0.plus(Duration.ofDays(1))));
    }

    @Test
    public void inactiveSinceIsTheLatestStatusChange() {
        Device device = device(DeviceStatus.INACTIVE, 0, 0)
                .withStatus(new StatusChange(DeviceStatus.ACTIVE, T0.plusSeconds(100), null), 50)
                .withStatus(new StatusChange(DeviceStatus.INACTIVE, T0.plusSeconds(200), null), 50);
        assertFalse(rules.shouldForget(device, T0.plusSeconds(200).plus(FORGET_AFTER)));
        assertTrue(rules.shouldForget(device, T0.plusSeconds(201).plus(FORGET_AFTER)));
    }

    @Test
    public void withoutStatusLogInactiveSinceIsLastSeen() {
        Device bare = new Device("66a1f0c2e4b0a1b2c3d4e5f6", "dev", new Communication(List.of("10.0.0.1"), 5000),
                "{}", DeviceStatus.INACTIVE, 5, 0, List.of(), null, false, "mdns", T0);
        assertFalse(rules.shouldForget(bare, T0.plusSeconds(299)));
        assertTrue(rules.shouldForget(bare, T0.plusSeconds(301)));
    }

    @Test
    public void blacklistedDevicesAreNeverForgottenForHealth() {
        Device blacklisted = device(DeviceStatus.INACTIVE, 9, 0).withBlacklisted(true);
        assertFalse(rules.shouldForget(blacklisted, T0.plus(Duration.ofDays(30))));
    }

    @Test
    public void blacklistingAnActiveDeviceMakesItInactiveWithReason() {
        Instant now = T0.plusSeconds(5);
        Device after = rules.blacklisted(device(DeviceStatus.ACTIVE, 0, 3), true, now);
        assertTrue(after.blacklisted());
        assertEquals(DeviceStatus.INACTIVE, after.status());
        assertEquals(new StatusChange(DeviceStatus.INACTIVE, now, "blacklisted"), after.statusLog().get(0));
        assertEquals("counters are kept", 3, after.okHealthCheckCount());
    }

    @Test
    public void blacklistingAnInactiveDeviceOnlySetsTheFlag() {
        Device before = device(DeviceStatus.INACTIVE, 5, 0);
        Device after = rules.blacklisted(before, true, T0.plusSeconds(5));
        assertTrue(after.blacklisted());
        assertEquals(DeviceStatus.INACTIVE, after.status());
        assertEquals(before.statusLog(), after.statusLog());
    }

    @Test
    public void unblacklistingClearsTheFlagAndKeepsTheStatus() {
        Device blacklisted = rules.blacklisted(device(DeviceStatus.ACTIVE, 0, 0), true, T0);
        Device after = rules.blacklisted(blacklisted, false, T0.plusSeconds(5));
        assertFalse(after.blacklisted());
        assertEquals("active again only after enough successes", DeviceStatus.INACTIVE, after.status());
        assertEquals(blacklisted.statusLog(), after.statusLog());
    }

    @Test
    public void statusLogIsNewestFirstAndBounded() {
        Device device = device(DeviceStatus.ACTIVE, 0, 0);
        Instant last = null;
        for (int i = 1; i <= 10; i++) {
            last = T0.plusSeconds(i * 60L);
            device = rules.afterFailures(device.withHealthCheck(null, 3, 0), "f" + i, last);
            device = rules.succeeded(device.withHealthCheck(null, 0, 1), ok(last), "10.0.0.1", List.of(),
                    last.plusSeconds(1));
        }
        List<StatusChange> log = device.statusLog();
        assertEquals("statusLogLength is 4", 4, log.size());
        assertEquals(DeviceStatus.ACTIVE, log.get(0).status());
        assertEquals(last.plusSeconds(1), log.get(0).time());
        assertEquals(DeviceStatus.INACTIVE, log.get(1).status());
        assertEquals("3 health checks failed: f10", log.get(1).reason());
        for (int i = 1; i < log.size(); i++) {
            assertTrue("newest first: " + log, log.get(i - 1).time().isAfter(log.get(i).time()));
        }
    }

    @Test
    public void brakeHoldsOnlyWhenMoreThanHalfOfAtLeastFourWereUnreachable() {
        assertFalse(HealthRules.brake(0, 0));
        assertFalse("fewer than four checked", HealthRules.brake(1, 1));
        assertFalse("fewer than four checked", HealthRules.brake(3, 3));
        assertFalse("exactly half", HealthRules.brake(4, 2));
        assertTrue(HealthRules.brake(4, 3));
        assertTrue(HealthRules.brake(4, 4));
        assertFalse(HealthRules.brake(5, 2));
        assertTrue(HealthRules.brake(5, 3));
        assertFalse("exactly half", HealthRules.brake(10, 5));
        assertTrue(HealthRules.brake(10, 6));
        assertTrue(HealthRules.brake(10_000, 5_001));
    }

    @Test
    public void workingAddressGoesFirstAndFailedOnesAreDropped() {
        Communication communication = new Communication(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "fe80::1%2"),
                8443, true, "/api");
        Communication after = HealthRules.workingFirst(communication, "10.0.0.3", List.of("10.0.0.1"));
        assertEquals(List.of("10.0.0.3", "10.0.0.2", "fe80::1%2"), after.addresses());
        assertEquals(8443, after.port());
        assertTrue(after.tls());
        assertEquals("/api", after.path());
    }

    @Test
    public void workingAddressMovesFirstKeepingTheOthersInOrder() {
        Communication communication = new Communication(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), 5000);
        assertEquals(List.of("10.0.0.2", "10.0.0.1", "10.0.0.3"),
                HealthRules.workingFirst(communication, "10.0.0.2", List.of()).addresses());
    }

    @Test
    public void nothingChangesWithoutAWorkingAddressOrWhenAlreadyInOrder() {
        Communication communication = new Communication(List.of("10.0.0.1", "10.0.0.2"), 5000);
        assertSame("no working address: failures alone drop nothing",
                communication, HealthRules.workingFirst(communication, null, List.of("10.0.0.1", "10.0.0.2")));
        assertSame(communication, HealthRules.workingFirst(communication, "10.0.0.1", List.of()));
    }

    @Test
    public void samePlaceIsSamePortSchemeAndAddressSet() {
        Communication a = new Communication(List.of("10.0.0.1", "10.0.0.2"), 5000);
        assertTrue(HealthRules.samePlace(a, new Communication(List.of("10.0.0.2", "10.0.0.1"), 5000)));
        assertFalse("another port", HealthRules.samePlace(a, new Communication(List.of("10.0.0.1", "10.0.0.2"), 5001)));
        assertFalse("https now", HealthRules.samePlace(a,
                new Communication(List.of("10.0.0.1", "10.0.0.2"), 5000, true, "/")));
        assertFalse("an address less", HealthRules.samePlace(a, new Communication(List.of("10.0.0.1"), 5000)));
        assertFalse("an address more", HealthRules.samePlace(a,
                new Communication(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), 5000)));
        assertFalse("another address", HealthRules.samePlace(a,
                new Communication(List.of("10.0.0.1", "10.0.0.9"), 5000)));
        assertFalse(HealthRules.samePlace(a, null));
        assertFalse(HealthRules.samePlace(null, a));
    }
}
