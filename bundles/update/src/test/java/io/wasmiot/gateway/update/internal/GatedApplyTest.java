package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.wasmiot.gateway.update.internal.JournalEntry.Step;

/** The apply, the window and the rollback on a stand-in bundle (no components, no checks, no store). */
public class GatedApplyTest {
    private static final UpdateSettings WINDOW = new UpdateSettings(Duration.ofMillis(400), 0, 1 << 20, 1 << 20, "", null, "");

    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();

    private byte[] previousJar;
    private byte[] newJar;
    private Path previous;
    private StagedJar staged;
    private TestJars.FakeBundle probe;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private GatedApply gate;
    private GateObserver observer;

    @Before
    public void setUp() throws Exception {
        previousJar = TestJars.bundleJar("wasmiot.gateway.probe", "1.0.0");
        newJar = TestJars.bundleJar("wasmiot.gateway.probe", "1.0.1");
        previous = Files.write(temporary.getRoot().toPath().resolve("previous.jar"), previousJar);
        Path file = Files.write(temporary.getRoot().toPath().resolve("new.jar"), newJar);
        staged = new StagedJar(file, TestJars.sha256(newJar), newJar.length, "wasmiot.gateway.probe", "1.0.1");
        probe = new TestJars.FakeBundle(7, "wasmiot.gateway.probe");
        ServiceComponentRuntime scr = (ServiceComponentRuntime) Proxy.newProxyInstance(
                ServiceComponentRuntime.class.getClassLoader(), new Class<?>[] {ServiceComponentRuntime.class},
                (self, method, args) -> List.of());
        observer = new GateObserver(scr);
        gate = new GatedApply(TestJars.context(probe.proxy), observer, stopping);
    }

    @Test
    public void aBundleThatStaysActiveThroughTheWindowIsCommitted() {
        GatedApply.Outcome outcome = gate.update("u1", probe.proxy, staged, previous, WINDOW);
        assertEquals(Step.COMMITTED, outcome.step());
        assertTrue("decided at the window's end: " + outcome, outcome.decisionMillis() >= 400);
        assertEquals(1, probe.updates.size());
        assertArrayEquals(newJar, probe.updates.get(0));
    }

    @Test
    public void aJarThatDoesNotResolveIsReplacedByThePreviousOneAtOnce() {
        probe.resolves = jar -> !Arrays.equals(jar, newJar);
        GatedApply.Outcome outcome = gate.update("u2", probe.proxy, staged, previous, WINDOW);
        assertEquals(Step.ROLLED_BACK, outcome.step());
        assertTrue(outcome.reason(), outcome.reason().contains("does not start: Unable to resolve"));
        assertTrue("before the window's end: " + outcome, outcome.decisionMillis() < 400);
        assertEquals(2, probe.updates.size());
        assertArrayEquals(previousJar, probe.updates.get(1));
        assertEquals(Bundle.ACTIVE, probe.state);
    }

    @Test
    public void whenEvenThePreviousJarDoesNotStartTheRollbackFailureIsReported() {
        probe.resolves = jar -> false;
        GatedApply.Outcome outcome = gate.update("u3", probe.proxy, staged, previous, WINDOW);
        assertEquals(Step.ROLLBACK_FAILED, outcome.step());
        assertTrue(outcome.reason(), outcome.reason().contains("rollback failed: the bundle does not start"));
    }

    @Test
    public void aNewBundleThatStartsIsKeptOneThatDoesNotIsUninstalled() {
        TestJars.FakeBundle extra = new TestJars.FakeBundle(50, "wasmiot.gateway.source.extra");
        GatedApply installer = new GatedApply(TestJars.context(probe.proxy, extra.proxy), observer, stopping);
        assertEquals(Step.COMMITTED, installer.install("u5", staged, WINDOW).step());
        assertEquals(Bundle.ACTIVE, extra.state);
        assertArrayEquals(newJar, extra.updates.get(0));

        TestJars.FakeBundle broken = new TestJars.FakeBundle(51, "wasmiot.gateway.source.broken");
        broken.resolves = jar -> false;
        GatedApply.Outcome outcome = new GatedApply(TestJars.context(probe.proxy, broken.proxy), observer, stopping)
                .install("u6", staged, WINDOW);
        assertEquals(Step.ROLLED_BACK, outcome.step());
        assertTrue(outcome.reason(), outcome.reason().contains("does not start"));
        assertEquals(Bundle.UNINSTALLED, broken.state);
    }

    @Test
    public void aServiceStoppingInTheWindowLeavesTheUpdateUndecided() {
        stopping.countDown();
        GatedApply.Outcome outcome = gate.update("u4", probe.proxy, staged, previous, WINDOW);
        assertTrue(outcome.interrupted());
        assertEquals("applied, not rolled back: the next start decides", 1, probe.updates.size());
    }
}
