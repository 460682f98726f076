package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.StoreException;

/** The writer's group commit of whole devices, on a one-thread executor so the order is the test's. */
public class StoreWriterTest {
    private final FakeStore store = new FakeStore();
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    private final StoreWriter writer = new StoreWriter(store, executor);
    /** What each entry's continuation received, by name. */
    private final Map<String, Object> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ranUnderWriterMonitor = new ConcurrentHashMap<>();

    @After
    public void stop() throws InterruptedException {
        store.saveEachGate = new CountDownLatch(0);
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Device fresh(String name) {
        return Device.introduced(name, new Communication(List.of("10.0.0.1"), 5000), "{}", "mdns",
                Instant.now());
    }

    private DeviceEntry save(String name) {
        DeviceEntry entry = new DeviceEntry(name);
        writer.saveSoon(entry, entry.epoch, fresh(name), (stored, failure) -> {
            ranUnderWriterMonitor.put(name, Thread.holdsLock(writer));
            outcomes.put(name, stored != null ? stored : failure);
        });
        return entry;
    }

    private void awaitOutcomes(int n) {
        Await.until(() -> n + " outcomes, have " + outcomes.keySet(), Await.DEADLINE, () -> outcomes.size() >= n);
    }

    @Test
    public void theCheckEndingAnIntroductionIsWrittenWhenTheWriterIsFreeNotAfterTheBatchDelay() throws Exception {
        java.util.List<Long> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScheduledThreadPoolExecutor recording = new ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                if (delay > 0) { // execute() schedules with no delay
                    delays.add(unit.toMillis(delay));
                }
                return super.schedule(command, delay, unit);
            }
        };
        try {
            StoreWriter prompt = new StoreWriter(store, recording);
            DeviceEntry introduced = new DeviceEntry("a");
            introduced.device = store.save(fresh("a"));
            CountDownLatch written = new CountDownLatch(1);
            prompt.soon(introduced, written::countDown);
            assertTrue("written", written.await(5, TimeUnit.SECONDS));
            assertEquals("nothing waited for a delay", List.of(), delays);
            assertTrue(store.saved.contains(introduced.device));

            DeviceEntry swept = new DeviceEntry("b");
            swept.device = store.save(fresh("b"));
            CountDownLatch batched = new CountDownLatch(1);
            prompt.later(swept, batched::countDown);
            assertEquals("a sweep's check waits for its batch", List.of(StoreWriter.DELAY_MILLIS), delays);
            assertTrue("written", batched.await(5, TimeUnit.SECONDS));
        } finally {
            recording.shutdown();
            recording.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    public void devicesArrivingWhileAWriteRunsAreWrittenTogetherInTheNextTransaction() throws Exception {
        store.saveEachGate = new CountDownLatch(1);
        save("a");
        assertTrue("the first write started", store.saveEachEntered.await(5, TimeUnit.SECONDS));
        save("b");
        save("c");
        save("d");
        store.saveEachGate.countDown();
        awaitOutcomes(4);
        assertEquals(List.of(1, 3), store.saveEachCalls);
        for (String name : List.of("a", "b", "c", "d")) {
            Device stored = (Device) outcomes.get(name);
            assertEquals(name, stored.name());
            assertNotNull("stored with an _id", stored.id());
            assertEquals(stored, store.named(name));
            assertEquals("continuations run outside the writer's monitor", false, ranUnderWriterMonitor.get(name));
        }
    }

    @Test
    public void aDeviceWhoseEntryMovedOnBeforeTheWriteIsSkipped() throws Exception {
        store.saveEachGate = new CountDownLatch(1);
        save("a");
        store.saveEachEntered.await(5, TimeUnit.SECONDS);
        DeviceEntry gone = save("gone");
        gone.epoch++; // forgotten (or introduced again) while it waited
        save("kept");
        store.saveEachGate.countDown();
        awaitOutcomes(2);
        executor.submit(() -> { }).get(5, TimeUnit.SECONDS); // anything still queued has run
        assertEquals(List.of(1, 1), store.saveEachCalls);
        assertNull("no continuation for the skipped one", outcomes.get("gone"));
        assertFalse(store.findByName("gone").isPresent());
        assertNotNull(outcomes.get("kept"));
    }

    @Test
    public void aFailedWriteReachesEveryDeviceOfTheBatch() {
        StoreException failure = new StoreException("disk full");
        store.saveEachFailure = failure;
        save("a");
        awaitOutcomes(1);
        assertSame(failure, outcomes.get("a"));
        assertEquals(0, store.count());
    }

    @Test
    public void theFinalFlushWritesWhatIsQueuedEvenWhenTheExecutorHasStopped() throws Exception {
        store.saveEachGate = new CountDownLatch(1);
        save("a");
        store.saveEachEntered.await(5, TimeUnit.SECONDS);
        save("b");
        // as the core's deactivate: queued tasks are dropped, then one last flush
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.shutdown();
        store.saveEachGate.countDown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        writer.flush();
        assertEquals(List.of(1, 1), store.saveEachCalls);
        assertEquals(2, store.count());
    }
}
