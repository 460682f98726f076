package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

/** Nothing is handed to the core's threads unless a task may resume: the negative checks need no wait. */
public class ProberSlotTest {
    private final CoreThreads threads = new CoreThreads();
    private final ProberSlot slot = new ProberSlot(threads);
    private final DeviceEntry entry = new DeviceEntry("dev");
    private final AtomicInteger resumed = new AtomicInteger();

    @After
    public void stop() {
        threads.stop();
    }

    @Test
    public void anIntroductionWithoutProberResumesOnceOneIsBound() {
        slot.await(entry, resumed::incrementAndGet, null);
        assertEquals(0, resumed.get());

        slot.bind(new FakeProber());
        Await.until("resumed", () -> resumed.get() == 1);
    }

    @Test
    public void theProberThatStoppedIsNotAskedAgainButTheNextOneIs() {
        FakeProber stopped = new FakeProber();
        slot.bind(stopped);
        slot.await(entry, resumed::incrementAndGet, stopped);
        assertEquals(0, resumed.get());

        slot.bind(new FakeProber());
        Await.until("resumed", () -> resumed.get() == 1);
    }

    @Test
    public void aProberBoundNowResumesAtOnceAndOnlyTheLatestTaskOfAnEntryRuns() {
        slot.await(entry, () -> resumed.addAndGet(100), null);
        slot.await(entry, resumed::incrementAndGet, null);
        slot.bind(new FakeProber());
        Await.until("resumed", () -> resumed.get() == 1);

        slot.await(entry, resumed::incrementAndGet, null);
        Await.until("resumed at once", () -> resumed.get() == 2);
    }

    @Test
    public void aForgottenEntryWaitsNoMore() {
        slot.await(entry, resumed::incrementAndGet, null);
        slot.forget(entry);
        slot.bind(new FakeProber());
        assertEquals(0, resumed.get());
    }

    @Test
    public void unbindingAnotherProberKeepsTheBoundOne() {
        FakeProber bound = new FakeProber();
        slot.bind(bound);
        slot.unbind(new FakeProber());
        assertSame(bound, slot.current());
        slot.unbind(bound);
        assertNull(slot.current());
    }
}
