package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class SweepTallyTest {
    private final List<Boolean> completions = new CopyOnWriteArrayList<>();
    private final List<SweepTally> completedTallies = new CopyOnWriteArrayList<>();

    private SweepTally tally(int expected) {
        return new SweepTally(expected, (t, brake) -> {
            completedTallies.add(t);
            completions.add(brake);
        });
    }

    @Test
    public void anEmptySweepCompletesAtOnceWithoutBrake() {
        SweepTally tally = tally(0);
        assertEquals(List.of(false), completions);
        assertSame(tally, completedTallies.get(0));
    }

    @Test
    public void completesOnceWhenEveryOutcomeIsIn() {
        SweepTally tally = tally(3);
        tally.succeeded();
        tally.failed(new DeviceEntry("a"), true);
        assertTrue("not before the last outcome", completions.isEmpty());
        tally.skipped();
        assertEquals(List.of(false), completions);
        tally.succeeded(); // a stray outcome after the end
        tally.skipped();
        assertEquals("completed exactly once", 1, completions.size());
    }

    @Test
    public void brakeWhenMoreThanHalfOfFourFailedUnreachable() {
        SweepTally tally = tally(4);
        DeviceEntry a = new DeviceEntry("a");
        DeviceEntry b = new DeviceEntry("b");
        DeviceEntry c = new DeviceEntry("c");
        tally.failed(a, true);
        tally.succeeded();
        tally.failed(b, true);
        tally.failed(c, true);
        assertEquals(List.of(true), completions);
        assertEquals(4, tally.checked());
        assertEquals(3, tally.failedCount());
        assertEquals(List.of(a, b, c), tally.failedEntries());
    }

    @Test
    public void noBrakeWhenHalfFailed() {
        SweepTally tally = tally(4);
        tally.failed(new DeviceEntry("a"), true);
        tally.failed(new DeviceEntry("b"), true);
        tally.succeeded();
        tally.succeeded();
        assertEquals(List.of(false), completions);
        assertEquals(2, tally.failedEntries().size());
    }

    @Test
    public void failuresThatReachedTheDeviceDoNotHoldTheBrake() {
        // 4 of 4 failed, but only 2 were unreachable: refusals and bad answers show the network works
        SweepTally tally = tally(4);
        DeviceEntry a = new DeviceEntry("a");
        DeviceEntry b = new DeviceEntry("b");
        tally.failed(a, true);
        tally.failed(b, true);
        tally.failed(new DeviceEntry("c"), false);
        tally.failed(new DeviceEntry("d"), false);
        assertEquals(List.of(false), completions);
        assertEquals(4, tally.failedCount());
        assertEquals(2, tally.unreachableCount());
        assertEquals("every failed device still waits for its status decision", 4, tally.failedEntries().size());
    }

    @Test
    public void brakeWhenMoreThanHalfWereUnreachable() {
        SweepTally tally = tally(5);
        tally.failed(new DeviceEntry("a"), true);
        tally.failed(new DeviceEntry("b"), false);
        tally.failed(new DeviceEntry("c"), true);
        tally.succeeded();
        tally.failed(new DeviceEntry("e"), true);
        assertEquals(List.of(true), completions);
        assertEquals(3, tally.unreachableCount());
    }

    @Test
    public void skippedChecksDoNotCountAsChecked() {
        // 3 of 4 devices failed, but one of the four was skipped: 2 of 3 checked is under the brake's minimum
        SweepTally tally = tally(4);
        tally.failed(new DeviceEntry("a"), true);
        tally.failed(new DeviceEntry("b"), true);
        tally.succeeded();
        tally.skipped();
        assertEquals(List.of(false), completions);
        assertEquals(3, tally.checked());
        assertEquals(2, tally.failedCount());
    }

    @Test
    public void skippedChecksDoNotDiluteTheFailures() {
        // 3 failed of 4 checked, 2 skipped: the brake holds (skips are not successes)
        SweepTally tally = tally(6);
        tally.skipped();
        tally.failed(new DeviceEntry("a"), true);
        tally.failed(new DeviceEntry("b"), true);
        tally.skipped();
        tally.succeeded();
        tally.failed(new DeviceEntry("c"), true);
        assertEquals(List.of(true), completions);
    }

    @Test
    public void allSkippedCompletesWithoutBrake() {
        SweepTally tally = tally(5);
        for (int i = 0; i < 5; i++) {
            tally.skipped();
        }
        assertEquals(List.of(false), completions);
        assertEquals(0, tally.checked());
    }

    @Test
    public void outcomesFromManyThreadsCompleteExactlyOnce() throws InterruptedException {
        int threads = 8;
        int perThread = 500;
        SweepTally tally = tally(threads * perThread);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int kind = t % 3;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        switch (kind) {
                            case 0 -> tally.succeeded();
                            case 1 -> tally.failed(new DeviceEntry("d"), true);
                            default -> tally.skipped();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(1, completions.size());
        // threads 0,3,6 succeed; 1,4,7 fail; 2,5 skip: 3000 checked, 1500 failed: exactly half
        assertEquals(6 * perThread, tally.checked());
        assertEquals(3 * perThread, tally.failedCount());
        assertEquals(3 * perThread, tally.failedEntries().size());
        assertFalse(completions.get(0));
    }
}
