package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.wasmiot.gateway.update.internal.JournalEntry.Step;

/** An update interrupted in its window (kill -9) is rolled back from what runs, with the kept jar. */
public class UpdateRecoveryTest {
    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();

    private byte[] previousJar;
    private byte[] newJar;
    private Path storage;
    private Path staging;
    private TestJars.FakeBundle probe;
    private RunningJars jars;

    @Before
    public void setUp() throws Exception {
        previousJar = TestJars.bundleJar("wasmiot.gateway.probe", "0.1.0");
        newJar = TestJars.bundleJar("wasmiot.gateway.probe", "0.1.0.update1");
        storage = temporary.newFolder("framework").toPath();
        Path ownData = Files.createDirectories(storage.resolve("bundle40/data"));
        staging = Files.createDirectories(temporary.getRoot().toPath().resolve("updates/u1"));
        Files.write(staging.resolve(BundleUpdater.PREVIOUS_JAR), previousJar);
        probe = new TestJars.FakeBundle(7, "wasmiot.gateway.probe");
        jars = new RunningJars(ownData.toFile());
    }

    private JournalEntry applying() {
        return new JournalEntry("t0", "u1", Step.APPLYING, "rest 127.0.0.1", "wasmiot.gateway.probe", "0.1.0",
                TestJars.sha256(previousJar), "0.1.0.update1", TestJars.sha256(newJar), "update", null);
    }

    private void runs(String revision, byte[] jar) throws Exception {
        Path folder = Files.createDirectories(storage.resolve("bundle7/" + revision));
        Files.write(folder.resolve("bundle.jar"), jar);
    }

    @Test
    public void theNewJarRunningIsReplacedByTheKeptPreviousOne() throws Exception {
        runs("version0.0", previousJar);
        runs("version0.1", newJar);
        JournalEntry last = UpdateRecovery.rollBack(TestJars.context(probe.proxy), jars, applying(), staging, "t1");
        assertEquals(Step.ROLLED_BACK, last.step());
        assertTrue(last.reason(), last.reason().endsWith("previous jar restored"));
        assertEquals(1, probe.updates.size());
        assertArrayEquals(previousJar, probe.updates.get(0));
        assertEquals("u1", last.update());
        assertEquals(TestJars.sha256(previousJar), last.oldSha256());
    }

    @Test
    public void killedBeforeTheChangeLeavesThePreviousJarAsItIs() throws Exception {
        runs("version0.0", previousJar);
        JournalEntry last = UpdateRecovery.rollBack(TestJars.context(probe.proxy), jars, applying(), staging, "t1");
        assertEquals(Step.ROLLED_BACK, last.step());
        assertTrue(last.reason(), last.reason().endsWith("the previous jar still runs"));
        assertEquals(0, probe.updates.size());
    }

    @Test
    public void withoutTheKeptJarTheRollbackFailsAndSaysWhatRuns() throws Exception {
        runs("version0.1", newJar);
        Files.delete(staging.resolve(BundleUpdater.PREVIOUS_JAR));
        JournalEntry last = UpdateRecovery.rollBack(TestJars.context(probe.proxy), jars, applying(), staging, "t1");
        assertEquals(Step.ROLLBACK_FAILED, last.step());
        assertTrue(last.reason(), last.reason().contains(TestJars.sha256(newJar)));
        assertEquals(0, probe.updates.size());
    }
}
