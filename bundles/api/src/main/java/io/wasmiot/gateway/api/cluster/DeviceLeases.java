package io.wasmiot.gateway.api.cluster;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who checks which device, when several gateways share one store. Each device is owned by at most
 * one live gateway through an expiring lease kept in the store; a gateway checks only the devices
 * it owns. With one gateway (the embedded database) that gateway owns every device.
 * Provided on PostgreSQL by the cluster bundle (lease rounds on the store's pool), on the embedded H2
 * by the store bundle next to {@link io.wasmiot.gateway.api.store.DeviceStore} (one gateway owns every
 * device).
 */
@ProviderType
public interface DeviceLeases {

    /** This gateway's identity among the gateways sharing the store; stable across restarts. */
    String gatewayId();

    /**
     * One lease round, run with every health sweep, in one transaction: marks this gateway alive
     * until now + {@code leaseTime}, renews the leases it holds, takes devices whose lease expired
     * or that have none, up to a fair share (stored devices / live gateways, rounded up), and lets
     * go of the devices over that share so that a gateway that joins gets its part.
     *
     * @return what this gateway owns after the round, and which devices are stored
     */
    LeaseRound renew(Duration leaseTime);

    /** Gives up this gateway's leases and liveness (a clean stop): the others take over at once. */
    void releaseAll();
}
