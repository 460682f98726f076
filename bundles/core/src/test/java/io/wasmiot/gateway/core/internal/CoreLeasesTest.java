package io.wasmiot.gateway.core.internal;

import static io.wasmiot.gateway.core.internal.FakeProber.done;
import static io.wasmiot.gateway.core.internal.FakeProber.failure;
import static io.wasmiot.gateway.core.internal.FakeProber.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.events.DeviceEvents;
import io.wasmiot.gateway.api.model.DeviceStatus;

/**
 * Several gateways on one store: only the devices this gateway leases are checked, a taken-over
 * device is read afresh and told this gateway's URL, and events name the gateway that decided.
 */
public class CoreLeasesTest extends CoreTestBase {
    private static Device checkedOnce(Device device, int okCount) {
        return new Device(device.id(), device.name(), device.communication(), device.description(),
                DeviceStatus.ACTIVE, 0, okCount, device.statusLog(), device.health(), false, device.source(),
                device.lastSeen());
    }

    @Test
    public void onlyDevicesThisGatewayOwnsAreCheckedAndATakenOverDeviceIsReadAfresh() {
        start(Map.of("healthInterval", 1));
        Device mine = introduce("mine", 7100, "10.0.2.1");
        Device theirs = introduce("theirs", 7101, "10.0.2.2");
        leases.giveToAnotherGateway(theirs.id());
        int checksOfTheirsAtHandOver = prober.calls("health", 7101).size();
        long sweepsAtHandOver = (long) metric("wasmiot_health_sweeps_total");
        Await.until("three more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAtHandOver + 3);
        assertTrue("checked while owned", prober.calls("health", 7100).size() >= 3);
        // one check may have been in flight when the lease went
        assertTrue(prober.calls("health", 7101).size() <= checksOfTheirsAtHandOver + 1);
        assertEquals(1.0, metric("wasmiot_devices_owned"), 0);
        assertEquals(2.0, metric("wasmiot_gateways_live"), 0);

        // The other gateway checked it meanwhile and wrote its counters; taking it back reads them.
        store.preload(checkedOnce(store.named("theirs"), 77));
        leases.takeBack(theirs.id());
        Await.until(() -> "theirs checked again from 77; " + store.named("theirs"), Await.DEADLINE,
                () -> store.named("theirs").okHealthCheckCount() >= 78);
        assertEquals(mine.id(), store.named("mine").id());
    }

    @Test
    public void aDeviceTakenOverFromAnotherGatewayIsToldThisGatewaysUrlThoughItSaysAGatewayIsSet() {
        start(Map.of("healthInterval", 1));
        // The default prober's health answers say Custom-Orchestrator-Set: true (the other gateway told it).
        Device theirs = introduce("theirs", 7102, "10.0.2.3");
        leases.giveToAnotherGateway(theirs.id());
        long sweepsAtHandOver = (long) metric("wasmiot_health_sweeps_total");
        Await.until("two more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAtHandOver + 2);
        assertEquals("a device whose gateway is set is not told while another gateway has it",
                0, prober.calls("tell").size());

        leases.takeBack(theirs.id());
        Await.until("POST /register after the takeover", () -> !prober.calls("tell", 7102).isEmpty());
        assertEquals("the working address and this gateway's base URL", "10.0.2.3 " + BASE_URL,
                prober.calls("tell", 7102).get(0).argument());
        long sweepsAfterTelling = (long) metric("wasmiot_health_sweeps_total");
        Await.until("three more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAfterTelling + 3);
        assertEquals("told once: afterwards its Custom-Orchestrator-Set: true holds again",
                1, prober.calls("tell", 7102).size());
    }

    @Test
    public void aTakenOverDeviceThatCouldNotBeToldIsToldAgainAtTheNextIntervalUntilItIs() {
        start(Map.of("healthInterval", 1));
        Device theirs = introduce("theirs", 7103, "10.0.2.4");
        leases.giveToAnotherGateway(theirs.id());
        long sweepsAtHandOver = (long) metric("wasmiot_health_sweeps_total");
        Await.until("two more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAtHandOver + 2);
        AtomicInteger attempts = new AtomicInteger();
        prober.tell = target -> done(attempts.incrementAndGet() == 1
                ? failure("connection refused", List.of("10.0.2.4")) : ok("{\"status\":\"success\"}", "10.0.2.4"));

        leases.takeBack(theirs.id());
        Await.until("told at the second attempt", () -> prober.calls("tell", 7103).size() >= 2);
        long sweepsAfterTelling = (long) metric("wasmiot_health_sweeps_total");
        Await.until("three more sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweepsAfterTelling + 3);
        assertEquals("not told again once it was", 2, prober.calls("tell", 7103).size());
        List<FakeProber.Call> tells = prober.calls("tell", 7103);
        assertTrue("at most once per health interval (1 s) even while it fails",
                tells.get(1).nanos() - tells.get(0).nanos() >= TimeUnit.MILLISECONDS.toNanos(900));
    }

    @Test
    public void aDeviceRemovedByAnotherGatewayIsDroppedWithoutAnEventAndCanComeBack() {
        start(Map.of("healthInterval", 1));
        Device gone = introduce("gone", 7200, "10.0.3.1");
        store.delete(gone.id()); // another gateway forgot it
        Await.until("dropped from memory", () -> metric("wasmiot_devices", "active") == 0);
        assertTrue("the gateway that decided posts REMOVED, not this one",
                events.of(DeviceEventType.REMOVED).isEmpty());
        assertFalse("not re-created by a late health write", store.findById(gone.id()).isPresent());

        Device back = introduce("gone", 7200, "10.0.3.1");
        assertNotEquals(gone.id(), back.id());
    }

    @Test
    public void aDeviceRegisteredAtAnotherGatewayAndOwnedHereIsAdoptedAndChecked() {
        start(Map.of("healthInterval", 1));
        Device elsewhere = store.preload(Device.introduced("elsewhere",
                new Communication(List.of("10.0.4.1"), 7300), FakeProber.DESCRIPTION, "register",
                Instant.now()));
        Await.until("adopted and checked", () -> store.named("elsewhere").okHealthCheckCount() >= 1);
        assertEquals(elsewhere.id(), store.named("elsewhere").id());
        assertEquals(1.0, metric("wasmiot_devices", "active"), 0);
        // It knows the gateway it registered at; from now on this one checks it, and says so.
        Await.until("POST /register to the adopted device", () -> !prober.calls("tell", 7300).isEmpty());
        assertEquals("10.0.4.1 " + BASE_URL, prober.calls("tell", 7300).get(0).argument());
    }

    @Test
    public void withoutALeaseRoundNothingIsCheckedAndLeasesSpanThreeIntervals() {
        start(Map.of("healthInterval", 1));
        introduce("dev", 7400, "10.0.5.1");
        leases.failing(true);
        int checksBefore = prober.calls("health", 7400).size();
        long sweeps = (long) metric("wasmiot_health_sweeps_total");
        Await.until("two sweeps", () -> metric("wasmiot_health_sweeps_total") >= sweeps + 2);
        assertTrue(prober.calls("health", 7400).size() <= checksBefore + 1);
        assertEquals(DeviceStatus.ACTIVE, store.named("dev").status());
        leases.failing(false);
        Await.until("checked again", () -> prober.calls("health", 7400).size() > checksBefore + 1);
        assertEquals(Duration.ofSeconds(3), leases.leaseTimes.get(0));

        core.deactivate();
        core = null;
        assertEquals("a clean stop hands the devices over at once", 1, leases.releases);
    }

    @Test
    public void everyEventNamesTheGatewayThatDecidedIt() {
        start(Map.of());
        introduce("dev", 7500, "10.0.6.1");
        assertEquals(FakeLeases.GATEWAY_ID, events.of(DeviceEventType.ADDED).get(0).get(DeviceEvents.ORIGIN));
    }
}
