package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;

import io.wasmiot.gateway.api.events.DeviceEventType;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;

/**
 * Each of the core's components swapped on its own, as DS does when it is disabled and enabled or its
 * dependency is updated: no device is lost, and the part works again with its new instance.
 */
public class CorePartSwapsTest extends CoreTestBase {
    private static final class RecordingSource implements DiscoverySource {
        final List<SourceSession> opened = new CopyOnWriteArrayList<>();
        final List<SourceSession> closed = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public void open(SourceSession session) {
            opened.add(session);
        }

        @Override
        public void close(SourceSession session) {
            closed.add(session);
        }
    }

    @Test
    public void eachPartSwappedOnItsOwnKeepsEveryDeviceAndWorksAgain() {
        start(Map.of("healthInterval", 1));
        RecordingSource source = new RecordingSource();
        core.addSource(source, Map.of());
        source.opened.get(0).sighted("a", new Communication(List.of("10.0.0.1"), 5000));
        Await.until("a listed and checked", () -> store.findByName("a").map(d -> d.okHealthCheckCount() >= 1).orElse(false));
        String id = store.named("a").id();

        core.swapIntake();
        assertEquals("the old session closed, a new one opened", 1, source.closed.size());
        assertEquals(2, source.opened.size());
        assertFalse(source.opened.get(0).isOpen());
        source.opened.get(1).sighted("b", new Communication(List.of("10.0.0.2"), 5000));
        Await.until("b introduced through the new intake", () -> !events.of(DeviceEventType.ADDED, "b").isEmpty());

        int checksBefore = store.named("a").okHealthCheckCount();
        core.swapSweeper();
        Await.until("a checked by the new sweeper", () -> store.named("a").okHealthCheckCount() > checksBefore);

        core.swapLeases();
        assertEquals("the old reconciler gave the leases back", 1, leases.releases);
        int checksAfterRelease = store.named("a").okHealthCheckCount();
        Await.until("a checked again under the new reconciler's leases",
                () -> store.named("a").okHealthCheckCount() > checksAfterRelease);

        assertEquals("same device, same _id", id, store.named("a").id());
        assertTrue("no device forgotten: " + events.events, events.of(DeviceEventType.REMOVED).isEmpty());
        assertEquals(2, metric("wasmiot_devices", "active"), 0);
    }

    @Test
    public void aSwappedSweeperSweepsAtOnceNotAnIntervalLater() {
        start(Map.of("healthInterval", 60));
        Device a = introduce("a", 5000, "10.0.0.1");
        core.swapSweeper();
        // Within the test's deadline, far less than the 60 s interval the old sweeper would have waited.
        Await.until("a checked by the new sweeper", () -> store.named("a").okHealthCheckCount() > a.okHealthCheckCount());
    }

    @Test
    public void withoutALeaseReconcilerNothingIsCheckedAndOneBoundSweepsAtOnce() {
        start(Map.of("healthInterval", 60));
        Device a = introduce("a", 5000, "10.0.0.1");
        core.sweeper.stop();
        HealthSweeper alone = new HealthSweeper(core.book);
        core.sweeper = alone;
        alone.start();
        Await.until("a sweep that found no lease reconciler", alone::waitingForLeases);
        assertEquals("no check without leases", a.okHealthCheckCount(), store.named("a").okHealthCheckCount());

        alone.setLeases(core.leases);
        // Within the test's deadline, far less than the 60 s interval.
        Await.until("a checked once the reconciler is bound",
                () -> store.named("a").okHealthCheckCount() > a.okHealthCheckCount());
        assertFalse(alone.waitingForLeases());
        assertNotNull(store.named("a").health());
    }
}
