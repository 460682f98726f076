package io.wasmiot.gateway.api.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A device the gateway lists: the document of docs/contract.md §7.
 *
 * @param id 24 lowercase hex, assigned by the store on first save and kept for the device's life;
 *           {@code null} for a device not yet saved
 * @param description the device description as JSON object text, kept verbatim
 * @param statusLog status changes, newest first
 * @param health the latest health query, or {@code null} before the first one
 * @param source the id of the discovery source that introduced it ({@code mdns}, {@code register},
 *               {@code static}: {@link io.wasmiot.gateway.api.source.DiscoverySource#id()})
 * @param lastSeen when a sighting or a successful check last showed the device alive
 */
public record Device(
        String id,
        String name,
        Communication communication,
        String description,
        DeviceStatus status,
        int failedHealthCheckCount,
        int okHealthCheckCount,
        List<StatusChange> statusLog,
        Health health,
        boolean blacklisted,
        String source,
        Instant lastSeen) {

    public Device {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(communication, "communication");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(lastSeen, "lastSeen");
        statusLog = List.copyOf(statusLog);
        if (id != null && !isValidId(id)) {
            throw new IllegalArgumentException("a device _id is 24 lowercase hex: " + id);
        }
    }

    /** A newly introduced device: active, no checks yet, one status log entry. */
    public static Device introduced(String name, Communication communication, String description,
                                    String source, Instant now) {
        return new Device(null, name, communication, description, DeviceStatus.ACTIVE, 0, 0,
                List.of(new StatusChange(DeviceStatus.ACTIVE, now, "introduced")), null, false, source, now);
    }

    public static boolean isValidId(String candidate) {
        return candidate != null && candidate.length() == 24 && candidate.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    public Device withId(String newId) {
        return new Device(newId, name, communication, description, status, failedHealthCheckCount,
                okHealthCheckCount, statusLog, health, blacklisted, source, lastSeen);
    }

    public Device withCommunication(Communication newCommunication) {
        return new Device(id, name, newCommunication, description, status, failedHealthCheckCount,
                okHealthCheckCount, statusLog, health, blacklisted, source, lastSeen);
    }

    public Device withDescription(String newDescription) {
        return new Device(id, name, communication, newDescription, status, failedHealthCheckCount,
                okHealthCheckCount, statusLog, health, blacklisted, source, lastSeen);
    }

    public Device withBlacklisted(boolean newBlacklisted) {
        return new Device(id, name, communication, description, status, failedHealthCheckCount,
                okHealthCheckCount, statusLog, health, newBlacklisted, source, lastSeen);
    }

    public Device withSource(String newSource) {
        return new Device(id, name, communication, description, status, failedHealthCheckCount,
                okHealthCheckCount, statusLog, health, blacklisted, newSource, lastSeen);
    }

    public Device withLastSeen(Instant newLastSeen) {
        return new Device(id, name, communication, description, status, failedHealthCheckCount,
                okHealthCheckCount, statusLog, health, blacklisted, source, newLastSeen);
    }

    /** The result of one health check: new counters and health, status unchanged. */
    public Device withHealthCheck(Health newHealth, int newFailedCount, int newOkCount) {
        return new Device(id, name, communication, description, status, newFailedCount, newOkCount,
                statusLog, newHealth, blacklisted, source, lastSeen);
    }

    /** A status change, prepended to the log, which keeps at most {@code maxLogLength} entries. */
    public Device withStatus(StatusChange change, int maxLogLength) {
        List<StatusChange> log = new ArrayList<>(Math.min(statusLog.size() + 1, maxLogLength));
        log.add(change);
        for (int i = 0; i < statusLog.size() && log.size() < maxLogLength; i++) {
            log.add(statusLog.get(i));
        }
        return new Device(id, name, communication, description, change.status(), failedHealthCheckCount,
                okHealthCheckCount, log, health, blacklisted, source, lastSeen);
    }
}
