package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * Leases over a {@link FakeStore}: this gateway owns every stored device unless a test hands some to
 * "another gateway"; records the lease times asked for.
 */
final class FakeLeases implements DeviceLeases {
    static final String GATEWAY_ID = "gw-test";
    private final FakeStore store;
    private final Set<String> ownedByOthers = new HashSet<>();
    private int liveGateways = 1;
    private boolean failing;
    final List<Duration> leaseTimes = new CopyOnWriteArrayList<>();
    /** The thread of each round. */
    final List<String> renewThreads = new CopyOnWriteArrayList<>();
    volatile int releases;

    FakeLeases(FakeStore store) {
        this.store = store;
    }

    synchronized void giveToAnotherGateway(String id) {
        ownedByOthers.add(id);
        liveGateways = 2;
    }

    synchronized void takeBack(String id) {
        ownedByOthers.remove(id);
    }

    synchronized void failing(boolean fail) {
        this.failing = fail;
    }

    @Override
    public String gatewayId() {
        return GATEWAY_ID;
    }

    @Override
    public synchronized LeaseRound renew(Duration leaseTime) {
        if (failing) {
            throw new StoreException("database unreachable");
        }
        leaseTimes.add(leaseTime);
        renewThreads.add(Thread.currentThread().getName());
        Set<String> stored = store.findAll().stream().map(Device::id).collect(Collectors.toSet());
        Set<String> owned = new HashSet<>(stored);
        owned.removeAll(ownedByOthers);
        return new LeaseRound(owned, stored, liveGateways);
    }

    @Override
    public void releaseAll() {
        releases++;
    }
}
