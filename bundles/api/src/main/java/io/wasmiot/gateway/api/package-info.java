/**
 * The WasmIoT gateway's device model and the services its bundles meet through.
 * Free of Jackson, jmdns and JDBC types: opaque JSON travels as text. 2.0.0: a device's source is a
 * string (the id of a {@link io.wasmiot.gateway.api.source.DiscoverySource}); the {@code DeviceSource}
 * enum, {@code SightingSink} and {@code DeviceBrowser} gave way to that SPI.
 */
@Export
@Version("2.0.0")
package io.wasmiot.gateway.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
