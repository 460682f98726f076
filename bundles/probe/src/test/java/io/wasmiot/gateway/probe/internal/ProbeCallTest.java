package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.wasmiot.gateway.api.model.ProbeResult;

public class ProbeCallTest {
    private final List<ProbeCall> finished = new ArrayList<>();
    private final ProbeCall call = new ProbeCall(finished::add);

    private ProbeResult result() {
        assertTrue(call.result.isDone());
        return call.result.join();
    }

    @Test
    public void aSuccessNamesTheAddressThatAnsweredAndThoseThatFailedBefore() {
        call.failedAddresses.add("10.0.0.1");
        call.failures.add("10.0.0.1: connection refused");
        call.succeed("{}", "10.0.0.2", true);

        ProbeResult result = result();
        assertEquals("{}", result.body());
        assertEquals("10.0.0.2", result.address());
        assertEquals(List.of("10.0.0.1"), result.failedAddresses());
        assertNull(result.failure());
        assertTrue(result.orchestratorSet());
        assertEquals(List.of(call), finished);
    }

    @Test
    public void aFailureJoinsEveryAddresssReasonAndIsUnreachableOnlyWhenNoneConnected() {
        call.failedAddresses.add("10.0.0.1");
        call.failures.add("10.0.0.1: connect timed out after 2000 ms");
        call.failedAddresses.add("10.0.0.2");
        call.failures.add("10.0.0.2: connect timed out after 2000 ms");
        call.failAll();

        ProbeResult result = result();
        assertEquals("10.0.0.1: connect timed out after 2000 ms; 10.0.0.2: connect timed out after 2000 ms",
                result.failure());
        assertTrue(result.unreachable());
    }

    @Test
    public void withNoAddressTriedTheFailureSaysSoAndIsNotTheNetworks() {
        call.failAll();
        assertEquals("no address to try", result().failure());
        assertFalse(result().unreachable());
    }

    @Test
    public void aStoppedProberFailsTheCallWithItsOwnWords() {
        call.finishStopped();
        assertEquals(HttpDeviceProber.STOPPED, result().failure());
        assertEquals(List.of(call), finished);
    }
}
