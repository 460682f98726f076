package io.wasmiot.gateway.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

public class StopFrameworkOnExitTest {
    private Framework framework;

    @Before
    public void startFramework() throws Exception {
        Path storage = Files.createTempDirectory("stop-on-exit");
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
    }

    @After
    public void stopFramework() throws Exception {
        framework.stop();
        framework.waitForStop(5_000);
    }

    @Test
    public void returnsOnlyOnceTheFrameworkHasStopped() {
        // Felix stops on a thread of its own: without the wait the state here is still STOPPING
        StopFrameworkOnExit.stop(framework, 10_000);

        assertEquals(Bundle.RESOLVED, framework.getState());
    }

    @Test
    public void leavesAFrameworkThatIsAlreadyStoppingAlone() throws Exception {
        framework.stop();
        framework.waitForStop(5_000);
        long start = System.nanoTime();

        StopFrameworkOnExit.stop(framework, 10_000);

        assertEquals(Bundle.RESOLVED, framework.getState());
        assertTrue("returns at once", System.nanoTime() - start < 1_000_000_000L);
    }
}
