package io.wasmiot.gateway.source.statics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.SourceSession;

public class StaticSourceTest {
    private static final long BACKOFF_MILLIS = 200;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final StaticSource source = new StaticSource(stopping::get, BACKOFF_MILLIS);

    /** What the core hears; can refuse like a full gateway, and be closed. */
    private static final class Recorder implements SourceSession {
        final List<String> heard = new CopyOnWriteArrayList<>();
        volatile boolean full;
        final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean open = true;

        @Override
        public String sourceId() {
            return StaticSource.ID;
        }

        @Override
        public void sighted(String name, Communication communication) {
            if (!open) {
                throw new IllegalStateException("closed");
            }
            if (full) {
                refusals.incrementAndGet();
                throw new CapacityExceededException("full");
            }
            heard.add(name + " " + communication.addresses().get(0) + ":" + communication.port());
        }

        @Override
        public void goodbye(String name, String reason) {
            if (!open) {
                throw new IllegalStateException("closed");
            }
            heard.add("goodbye " + name + ": " + reason);
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    @After
    public void stop() {
        source.deactivate();
    }

    private static StaticDevice device(String pid, String name, String address, int port) {
        return StaticDevice.of(pid, StaticDeviceTest.config(name, address, port, false));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    public void configuredDevicesAreReportedAtOpenAndAgainAtEveryOpen() {
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        source.configured(device("p2", "plc-2", "10.0.0.2", 5001));
        Recorder first = new Recorder();
        source.open(first);
        await("the replay", () -> first.heard.size() == 2);
        assertEquals(List.of("plc-1 10.0.0.1:5000", "plc-2 10.0.0.2:5001"), first.heard);

        source.close(first);
        first.open = false;
        Recorder second = new Recorder();
        source.open(second);
        await("the replay to the second core", () -> second.heard.size() == 2);
    }

    @Test
    public void aChangedConfigurationIsReportedAndARenameIsAGoodbyeOfTheOldName() {
        Recorder core = new Recorder();
        source.open(core);
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        source.configured(device("p1", "plc-1", "10.0.0.9", 5000));
        source.configured(device("p1", "plc-one", "10.0.0.9", 5000));
        await("three reports", () -> core.heard.size() == 4);
        assertEquals(List.of("plc-1 10.0.0.1:5000", "plc-1 10.0.0.9:5000",
                "goodbye plc-1: " + StaticSource.GOODBYE, "plc-one 10.0.0.9:5000"), core.heard);
    }

    @Test
    public void aDeletedConfigurationIsAGoodbyeButABundleStopIsNot() {
        Recorder core = new Recorder();
        source.open(core);
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        source.configured(device("p2", "plc-2", "10.0.0.2", 5000));
        source.removed("p1");
        await("the goodbye", () -> core.heard.contains("goodbye plc-1: " + StaticSource.GOODBYE));

        stopping.set(true);
        source.removed("p2");
        source.configured(device("p3", "plc-3", "10.0.0.3", 5000));
        await("plc-3", () -> core.heard.contains("plc-3 10.0.0.3:5000"));
        assertEquals(List.of("plc-1 10.0.0.1:5000", "plc-2 10.0.0.2:5000", "goodbye plc-1: " + StaticSource.GOODBYE,
                "plc-3 10.0.0.3:5000"), core.heard);
    }

    @Test
    public void aGoodbyeWhileClosedIsToldAtTheNextOpen() {
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        source.removed("p1");
        Recorder core = new Recorder();
        source.open(core);
        await("the goodbye", () -> core.heard.size() == 1);
        assertEquals(List.of("goodbye plc-1: " + StaticSource.GOODBYE), core.heard);
    }

    @Test
    public void aSecondConfigurationOfTheSameNameIsRefused() {
        Recorder core = new Recorder();
        source.open(core);
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        source.configured(device("p2", "plc-1", "10.0.0.2", 5000));
        source.configured(device("p3", "plc-3", "10.0.0.3", 5000));
        await("plc-3", () -> core.heard.contains("plc-3 10.0.0.3:5000"));
        assertEquals(List.of("plc-1 10.0.0.1:5000", "plc-3 10.0.0.3:5000"), core.heard);
    }

    @Test
    public void aRefusedDeviceWaitsForARescan() {
        Recorder core = new Recorder();
        core.full = true;
        source.open(core);
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        await("the refusal", () -> core.refusals.get() == 1);
        core.full = false;
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000)); // said again: not offered while refused
        source.configured(device("p2", "plc-2", "10.0.0.2", 5000));
        await("plc-2", () -> core.heard.contains("plc-2 10.0.0.2:5000"));
        assertEquals(List.of("plc-2 10.0.0.2:5000"), core.heard);

        source.requery();
        await("plc-1 offered again", () -> core.heard.contains("plc-1 10.0.0.1:5000"));
    }

    @Test
    public void aForgottenDeviceStillConfiguredIsOfferedAgainAfterADoublingBackoff() {
        Recorder core = new Recorder();
        source.open(core);
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000));
        await("reported", () -> core.heard.size() == 1);

        long start = System.nanoTime();
        source.forgotten("plc-1");
        await("offered again", () -> core.heard.size() == 2);
        long firstMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("first back-off " + firstMillis + " ms", firstMillis >= BACKOFF_MILLIS);

        start = System.nanoTime();
        source.forgotten("plc-1");
        source.configured(device("p1", "plc-1", "10.0.0.1", 5000)); // said again meanwhile: still waits
        await("offered again after the doubled back-off", () -> core.heard.size() == 3);
        long secondMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("second back-off " + secondMillis + " ms", secondMillis >= 2 * BACKOFF_MILLIS);

        source.forgotten("not-configured");
        source.removed("p1");
        await("the goodbye", () -> core.heard.size() == 4);
        assertEquals("goodbye plc-1: " + StaticSource.GOODBYE, core.heard.get(3));
    }
}
