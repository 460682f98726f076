package io.wasmiot.gateway.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what the discovery channels (mDNS, register) see. Implemented by the discovery core;
 * channels call it from their own threads and must not be blocked long by it.
 */
@ConsumerType
public interface SightingSink {

    /**
     * A device is alive at the given place.
     *
     * @throws CapacityExceededException when a new device would exceed the gateway's limit
     */
    void sighted(Sighting sighting);

    /** A device said goodbye (mDNS {@code serviceRemoved}). */
    void goodbye(String name, DeviceSource source);
}
