package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunningJarsTest {
    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();

    @Test
    public void theHighestRevisionIsWhatRunsItsHashIsKeptUntilTheBundleChanges() throws Exception {
        Path storage = temporary.newFolder("framework").toPath();
        Path ownData = Files.createDirectories(storage.resolve("bundle3/data"));
        byte[] old = TestJars.bundleJar("b", "1.0.0");
        byte[] current = TestJars.bundleJar("b", "2.0.0");
        Files.write(Files.createDirectories(storage.resolve("bundle9/version0.2")).resolve("bundle.jar"), old);
        Files.write(Files.createDirectories(storage.resolve("bundle9/version1.10")).resolve("bundle.jar"), current);
        Files.write(Files.createDirectories(storage.resolve("bundle9/version0.11")).resolve("bundle.jar"), old);
        TestJars.FakeBundle bundle = new TestJars.FakeBundle(9, "b");
        RunningJars jars = new RunningJars(ownData.toFile());

        assertEquals(storage.resolve("bundle9/version1.10/bundle.jar"), jars.jarOf(bundle.proxy).orElseThrow());
        assertEquals(Optional.of(TestJars.sha256(current)), jars.sha256Of(bundle.proxy));

        Files.write(Files.createDirectories(storage.resolve("bundle9/version1.11")).resolve("bundle.jar"), old);
        assertEquals("cached while unchanged", Optional.of(TestJars.sha256(current)), jars.sha256Of(bundle.proxy));
        bundle.lastModified++;
        assertEquals(Optional.of(TestJars.sha256(old)), jars.sha256Of(bundle.proxy));
        assertEquals(Optional.empty(), jars.sha256Of(new TestJars.FakeBundle(10, "none").proxy));
    }
}
