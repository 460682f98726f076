package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Test;
import org.osgi.framework.BundleContext;

public class UpdateTargetsTest {
    private final TestJars.FakeBundle self = new TestJars.FakeBundle(30, "wasmiot.gateway.update");
    private final TestJars.FakeBundle probe = new TestJars.FakeBundle(7, "wasmiot.gateway.probe");
    private final BundleContext context = TestJars.context(self.proxy, probe.proxy);

    private static StagedJar jar(String symbolicName) {
        return new StagedJar(Path.of("new.jar"), "a".repeat(64), 100, symbolicName, "1.0.1");
    }

    @Test
    public void theNamedBundleIsUpdatedANewNameWithoutTargetIsInstalled() throws Exception {
        assertSame(probe.proxy, UpdateTargets.choose(context, "wasmiot.gateway.probe", jar("wasmiot.gateway.probe")));
        assertNull(UpdateTargets.choose(context, "", jar("wasmiot.gateway.source.extra")));
    }

    @Test
    public void anotherBundlesJarAMissingTargetAnInstalledNameAndItselfAreRefused() {
        assertTrue(refusal("wasmiot.gateway.core", jar("wasmiot.gateway.probe")).contains("the jar is bundle wasmiot.gateway.probe"));
        assertTrue(refusal("wasmiot.gateway.nope", jar("wasmiot.gateway.nope")).contains("no bundle wasmiot.gateway.nope"));
        assertTrue(refusal("", jar("wasmiot.gateway.probe")).contains("installed already"));
        assertTrue(refusal("wasmiot.gateway.update", jar("wasmiot.gateway.update")).contains("does not update itself"));
    }

    private String refusal(String target, StagedJar jar) {
        try {
            UpdateTargets.choose(context, target, jar);
        } catch (UpdateRefused e) {
            assertTrue(e.kind.name(), e.kind == UpdateRefused.Kind.CONFLICT || e.kind == UpdateRefused.Kind.BAD_REQUEST);
            return e.getMessage();
        }
        throw new AssertionError("accepted " + target);
    }
}
