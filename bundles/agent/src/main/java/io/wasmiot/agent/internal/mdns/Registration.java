package io.wasmiot.agent.internal.mdns;

/**
 * A caller's handle on one advertisement of a {@link Responder}: pass it back to say goodbye or to
 * drop it. The name may change while it probes (a conflict renames it {@code name (2)}).
 */
public final class Registration {
    private final String requestedName;
    private volatile String name;
    /** Set by the responder: the entry it advertises for this handle (its thread only). */
    Advertised entry;
    /** A name DNS cannot carry: sent as a hand-built corrupt datagram ({@link CorruptAnnouncement}). */
    final CorruptAnnouncement corrupt;

    Registration(String requestedName, CorruptAnnouncement corrupt) {
        this.requestedName = requestedName;
        this.name = requestedName;
        this.corrupt = corrupt;
    }

    /** The name asked for. */
    public String requestedName() {
        return requestedName;
    }

    /** The name advertised: the requested one, or its renaming after a conflict. */
    public String name() {
        return name;
    }

    void renamed(String newName) {
        name = newName;
    }

    @Override
    public String toString() {
        return name.equals(requestedName) ? name : requestedName + " (advertised as " + name + ")";
    }
}
