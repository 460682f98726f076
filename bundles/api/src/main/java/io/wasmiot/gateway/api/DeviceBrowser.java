package io.wasmiot.gateway.api;

import org.osgi.annotation.versioning.ProviderType;

/** A discovery channel that watches the network (the mDNS browser). */
@ProviderType
public interface DeviceBrowser {

    /** Asks the network again now; devices not seen again are not dropped by this. */
    void requery();

    /**
     * Forgets every sighting, so devices still advertising are reported again as new
     * (after the gateway wiped its devices).
     */
    void forgetSightings();

    /**
     * The gateway forgot this device (its introduction failed, it did not come back after a
     * goodbye, it was inactive too long, an operator deleted it): if it is still advertising, report
     * it again, after a back-off that grows while the same name keeps being forgotten.
     */
    void forgotten(String name);
}
