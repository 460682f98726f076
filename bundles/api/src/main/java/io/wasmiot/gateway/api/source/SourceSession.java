package io.wasmiot.gateway.api.source;

import org.osgi.annotation.versioning.ProviderType;

import io.wasmiot.gateway.api.model.Communication;

/**
 * The handle the discovery core gives a {@link DiscoverySource} when it opens it: one per open,
 * valid until the matching {@link DiscoverySource#close}. Thread safe; calls return quickly (the core
 * introduces and checks devices on its own threads).
 */
@ProviderType
public interface SourceSession {

    /** The id of the source this session belongs to (the {@code source} of the devices it introduces). */
    String sourceId();

    /**
     * A device is alive at {@code communication}: new, at another place, or announced again (after
     * a restart, say). Reporting the same device at the same place again is harmless.
     *
     * @param name the device's identity (1-255 characters, no control characters)
     * @throws CapacityExceededException the gateway is full and refused a new
     *         device: see {@link DiscoverySource}'s back-off rules
     * @throws IllegalArgumentException the name is not a device name
     * @throws IllegalStateException the session is closed: keep the sighting for the next open
     */
    void sighted(String name, Communication communication);

    /**
     * A device said it is leaving. The core forgets it unless it is sighted again within the goodbye
     * grace; until then it keeps its {@code _id} and history.
     *
     * @param reason a few words for the log and the {@code REMOVED} event ("mDNS goodbye")
     * @throws IllegalStateException the session is closed: keep the goodbye for the next open
     */
    void goodbye(String name, String reason);

    /** Whether the core still listens through this session. */
    boolean isOpen();
}
