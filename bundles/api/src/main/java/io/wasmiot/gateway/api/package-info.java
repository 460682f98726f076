/**
 * Services the gateway bundles meet through: {@link io.wasmiot.gateway.api.DeviceProber} (the only
 * code that talks HTTP to devices), {@link io.wasmiot.gateway.api.DiscoveryControl} (operator actions
 * on the device lifecycle) and {@link io.wasmiot.gateway.api.DeviceLogs} (devices' recent log lines).
 *
 * <p>3.0.0: the package was split by what its types are. The device model moved to
 * {@code io.wasmiot.gateway.api.model}, the lifecycle events to {@code .events}, the store to
 * {@code .store}, the multi-gateway leases to {@code .cluster}, the metrics whiteboard to
 * {@code .metrics}, and {@code CapacityExceededException} to the discovery-source SPI
 * ({@code .source}, whose {@code SourceSession#sighted} throws it); each package has a version of its
 * own, so a change to one no longer moves the others. 2.0.0: a device's source is a string (the id of
 * a {@link io.wasmiot.gateway.api.source.DiscoverySource}).
 */
@Export
@Version("3.0.0")
package io.wasmiot.gateway.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
