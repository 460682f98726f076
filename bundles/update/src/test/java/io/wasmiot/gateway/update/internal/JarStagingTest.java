package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JarStagingTest {
    @Rule
    public TemporaryFolder temporary = new TemporaryFolder();

    @Test
    public void aBundleWithItsHashIsStagedWithItsIdentity() throws Exception {
        byte[] jar = TestJars.bundleJar("wasmiot.gateway.probe", "0.1.0.update1");
        Path file = temporary.getRoot().toPath().resolve("u1/new.jar");
        StagedJar staged = JarStaging.stage(new ByteArrayInputStream(jar), file, 1 << 20,
                TestJars.sha256(jar).toUpperCase());
        assertEquals("wasmiot.gateway.probe", staged.symbolicName());
        assertEquals("0.1.0.update1", staged.version());
        assertEquals(TestJars.sha256(jar), staged.sha256());
        assertEquals(jar.length, staged.size());
        assertEquals(jar.length, Files.size(file));
        assertEquals(TestJars.sha256(jar), JarStaging.sha256Of(file));
    }

    @Test
    public void aWrongHashIsRefusedAndNothingStaysStaged() throws Exception {
        byte[] jar = TestJars.bundleJar("wasmiot.gateway.probe", "1.0.0");
        Path file = temporary.getRoot().toPath().resolve("u2/new.jar");
        UpdateRefused refused = refusal(jar, file, 1 << 20, "0".repeat(64));
        assertEquals(UpdateRefused.Kind.BAD_REQUEST, refused.kind);
        assertTrue(refused.getMessage(), refused.getMessage().contains("SHA-256 mismatch")
                && refused.getMessage().contains(TestJars.sha256(jar)));
        assertFalse(Files.exists(file));
    }

    @Test
    public void aJarAboveTheBoundIsRefusedWithoutReadingItAll() throws Exception {
        byte[] jar = TestJars.bundleJar("big", "1.0.0");
        Path file = temporary.getRoot().toPath().resolve("u3/new.jar");
        UpdateRefused refused = refusal(jar, file, jar.length - 1, TestJars.sha256(jar));
        assertEquals(UpdateRefused.Kind.TOO_LARGE, refused.kind);
        assertFalse(Files.exists(file));
    }

    @Test
    public void aJarWithoutBundleHeadersOrNoJarAtAllIsRefused() throws Exception {
        byte[] plain = TestJars.bundleJar(null, null);
        Path file = temporary.getRoot().toPath().resolve("u4/new.jar");
        assertTrue(refusal(plain, file, 1 << 20, TestJars.sha256(plain)).getMessage().contains("not an OSGi bundle"));
        byte[] text = "hello".getBytes();
        assertTrue(refusal(text, file, 1 << 20, TestJars.sha256(text)).getMessage().contains("not"));
        assertFalse(Files.exists(file));
    }

    @Test
    public void aMalformedExpectedHashIsRefusedBeforeReading() {
        for (String bad : new String[] {null, "", "abc", "g".repeat(64), "0".repeat(63)}) {
            try {
                JarStaging.normalizedSha256(bad);
                fail("accepted " + bad);
            } catch (UpdateRefused e) {
                assertEquals(UpdateRefused.Kind.BAD_REQUEST, e.kind);
            }
        }
    }

    private static UpdateRefused refusal(byte[] jar, Path file, long max, String sha256) throws Exception {
        try {
            JarStaging.stage(new ByteArrayInputStream(jar), file, max, sha256);
        } catch (UpdateRefused e) {
            return e;
        }
        throw new AssertionError("staged");
    }
}
