/**
 * The discovery-source SPI: how a bundle tells the gateway which devices exist.
 *
 * <p>A source is any bundle that registers a {@link io.wasmiot.gateway.api.source.DiscoverySource}
 * service (a whiteboard: the discovery core tracks every one, however many, as they come and go).
 * The core opens each source with a {@link io.wasmiot.gateway.api.source.SourceSession} of its own,
 * through which the source reports sightings and goodbyes. The interfaces' Javadoc is the contract:
 * when a source is opened and closed, that it replays on every open, what a refusal means and the
 * back-off it owes, and which thread calls what.
 *
 * <p>2.0.0: the model types in its signatures ({@code Communication}) moved to
 * {@code io.wasmiot.gateway.api.model}, which changes the methods' binary signatures (a major step);
 * {@link io.wasmiot.gateway.api.source.CapacityExceededException}, the refusal
 * {@code SourceSession#sighted} throws, moved here from {@code io.wasmiot.gateway.api}.
 */
@Export
@Version("2.0.0")
package io.wasmiot.gateway.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
