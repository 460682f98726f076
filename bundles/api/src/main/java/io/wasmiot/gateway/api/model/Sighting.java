package io.wasmiot.gateway.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A device seen alive, as a discovery source reported it to the core.
 *
 * @param name the device's identity (the mDNS instance label)
 * @param communication where it says it answers
 * @param source the id of the discovery source that saw it
 * @param seenAt when it was seen
 */
public record Sighting(String name, Communication communication, String source, Instant seenAt) {
    public static final int MAX_NAME_LENGTH = 255;

    public Sighting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(communication, "communication");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(seenAt, "seenAt");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a device name has 1-" + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a device name has no control characters");
        }
    }
}
