package io.wasmiot.gateway.api.source;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The discovery core's account of its open sources: one {@link SessionActivity} per open session.
 * A source that was reopened (its bundle updated, the core restarted) starts a new session with
 * counts at zero; because every source replays on open, a reopened source that had reported devices
 * and stays at zero sightings has stopped discovering (the update service's gate judges that).
 */
@ProviderType
public interface DiscoverySourceActivity {

    /** The open sessions, in no particular order. */
    List<SessionActivity> openSessions();
}
