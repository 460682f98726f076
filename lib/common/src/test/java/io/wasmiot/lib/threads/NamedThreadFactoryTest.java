package io.wasmiot.lib.threads;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class NamedThreadFactoryTest {
    @Test
    public void numberedThreadsCountFromOneAndAreDaemons() {
        NamedThreadFactory factory = NamedThreadFactory.numbered("wasmiot-test");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertEquals("wasmiot-test-1", first.getName());
        assertEquals("wasmiot-test-2", second.getName());
        assertTrue(first.isDaemon());
    }

    @Test
    public void aSingleThreadKeepsItsName() {
        NamedThreadFactory factory = NamedThreadFactory.single("wasmiot-test-timer");
        assertEquals("wasmiot-test-timer", factory.newThread(() -> { }).getName());
        assertEquals("wasmiot-test-timer", factory.newThread(() -> { }).getName());
    }

    @Test
    public void aBlankNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NamedThreadFactory.numbered(" "));
    }
}
