package io.wasmiot.gateway.api.source;

import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A discovery source: something that learns which devices exist (mDNS, the register endpoint,
 * configured static devices) and tells the discovery core. A bundle registers one as an OSGi service;
 * the core decides what a device's sightings mean (introduction, health checks, forgetting), the
 * source only reports what it sees.
 *
 * <h2>Lifecycle</h2>
 * The core calls {@link #open} when it binds the source (the core started, or the source's service
 * appeared) and {@link #close} with the same session when either goes away; each open is matched by
 * one close. A source outlives cores: it keeps what it knows while it is closed and, on every
 * {@link #open}, <b>replays every device it believes alive</b> (and every goodbye it heard while closed
 * and not yet told), through the new session. Durable device state is in the store, so a replayed
 * device the core already knows changes nothing; one it does not know is introduced.
 *
 * <h2>Refusals and back-off</h2>
 * {@link SourceSession#sighted} throws {@link CapacityExceededException} when
 * the gateway already tracks its maximum of devices. A source must then not offer that name again on
 * its own: only after {@link #requery} or the next {@link #open}, or when the device itself gives a new
 * sign of life at another place. When the core forgot a device ({@link #forgotten}) that the source
 * still believes alive, the source reports it again no sooner than after a back-off that starts at
 * 10 s and doubles, up to 5 minutes, while the same name keeps being forgotten (a device whose
 * description always fails must not become an endless introduction loop); a goodbye or
 * {@link #forgetSightings} resets it.
 *
 * <h2>Threads</h2>
 * Every method here is called on a core or framework thread, possibly while the core holds a
 * device's lock: return at once, never block on I/O, and do not call the session from inside
 * these calls; queue the work (the replay of {@link #open} included) for a thread of the source's
 * own. The session may be called from any thread, at any time between open and close.
 */
@ConsumerType
public interface DiscoverySource {
    /**
     * A service property ({@code Boolean}): {@code true} for a push source, which learns of a device
     * only when the device calls in (the register endpoint) and so has nothing to replay on
     * {@link #open}. Absent or {@code false}: the source replays, and a reopened source that stays
     * silent while it had reported devices has stopped discovering.
     */
    String PUSH_PROPERTY = "wasmiot.source.push";

    /** The longest source id (the store's {@code source} column). */
    int MAX_ID_LENGTH = 16;
    /** What a source id looks like: lowercase letters, digits and dashes, starting with a letter. */
    Pattern ID_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_ID_LENGTH - 1) + "}");

    /**
     * The source's name, stored with each device it introduced ({@code "source"} in the device
     * document: {@code mdns}, {@code register}, {@code static}) and shown in the log. Constant for the
     * life of the service and matching {@link #ID_PATTERN}; the core opens no source whose id does not.
     * Two sources may share an id (every channel that registers devices on request reports as
     * {@code register}): the core tells sources apart by their service, not by their id.
     */
    String id();

    /**
     * The core is ready to hear this source: keep {@code session} and replay, through it, every
     * device believed alive and every goodbye not yet told.
     */
    void open(SourceSession session);

    /**
     * The core stops listening (it stops, or this source's service is going away): stop using
     * {@code session} (its methods now throw {@link IllegalStateException}) and keep what you know
     * for the next {@link #open}.
     */
    void close(SourceSession session);

    /** An operator asked for a rescan: look again now, and offer refused devices again. */
    default void requery() {
    }

    /**
     * The core wiped every device: forget what was reported, so that every device still there is
     * reported again as new, and reset every back-off.
     */
    default void forgetSightings() {
    }

    /**
     * The core forgot {@code name} (its introduction failed, it did not come back after a goodbye, it
     * was inactive too long, an operator deleted it). If the source still believes it alive, it
     * reports it again after the back-off described above.
     */
    default void forgotten(String name) {
    }
}
