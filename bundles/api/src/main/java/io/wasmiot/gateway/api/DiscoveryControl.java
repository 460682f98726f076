package io.wasmiot.gateway.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.wasmiot.gateway.api.model.Device;

/** Operator actions on the device lifecycle, implemented by the discovery core. */
@ProviderType
public interface DiscoveryControl {

    /** Forgets one device now. @return the forgotten device, empty when unknown */
    Optional<Device> forget(String idOrName, String reason);

    /** Forgets every device and every sighting, so devices still advertising come back as new. */
    int forgetAll(String reason);

    /** @return the device as it now is, empty when unknown */
    Optional<Device> setBlacklisted(String idOrName, boolean blacklisted);

    /** Asks every discovery source to look again (a rescan). */
    void rescan();
}
