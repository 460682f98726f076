package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Test;

/** Where a sweep's database work runs: the threads that decide never wait on the database. */
public class HealthSweeperTest {
    private final FakeStore store = new FakeStore();
    private final FakeLeases leases = new FakeLeases(store);
    private AssembledCore core;

    @After
    public void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    @Test
    public void everyLeaseRoundRunsOnTheStoresThread() {
        core = new AssembledCore(Configs.config(DiscoveryConfig.class, Map.of("healthInterval", 1)), store, leases);
        Await.until("two sweeps' lease rounds", () -> leases.renewThreads.size() >= 2);
        assertEquals(Set.of("wasmiot-core-store"), new HashSet<>(leases.renewThreads));
    }
}
