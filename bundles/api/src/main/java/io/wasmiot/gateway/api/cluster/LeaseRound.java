package io.wasmiot.gateway.api.cluster;

import java.util.Set;

/**
 * The outcome of one {@link DeviceLeases#renew} round.
 *
 * @param ownedIds     {@code _id}s of the devices this gateway owns now: the ones it checks
 * @param storedIds    {@code _id}s of every stored device when the round ran, owned by anyone
 * @param liveGateways gateways whose liveness had not expired, this one included
 */
public record LeaseRound(Set<String> ownedIds, Set<String> storedIds, int liveGateways) {
    public LeaseRound {
        ownedIds = Set.copyOf(ownedIds);
        storedIds = Set.copyOf(storedIds);
    }

    public boolean owns(String id) {
        return ownedIds.contains(id);
    }
}
