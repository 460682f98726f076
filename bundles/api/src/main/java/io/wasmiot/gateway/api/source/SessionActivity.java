package io.wasmiot.gateway.api.source;

import java.time.Instant;

/**
 * What the core heard from one open {@link DiscoverySource} through its current session.
 *
 * @param sourceId the source's {@link DiscoverySource#id() id}
 * @param bundleId the bundle that registered the source's service
 * @param push whether the source is a push source ({@link DiscoverySource#PUSH_PROPERTY}): nothing to replay
 * @param openedAt when the core opened this session
 * @param sightings the {@link SourceSession#sighted} calls through this session
 * @param goodbyes the {@link SourceSession#goodbye} calls through this session
 */
public record SessionActivity(String sourceId, long bundleId, boolean push, Instant openedAt, long sightings, long goodbyes) {
}
