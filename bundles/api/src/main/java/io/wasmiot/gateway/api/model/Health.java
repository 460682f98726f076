package io.wasmiot.gateway.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of the latest health query.
 *
 * @param report the device's answer as JSON object text, or {@code null} when the query failed
 * @param timeOfQuery when the query was made
 */
public record Health(String report, Instant timeOfQuery) {
    public Health {
        Objects.requireNonNull(timeOfQuery, "timeOfQuery");
    }

    public boolean succeeded() {
        return report != null;
    }
}
