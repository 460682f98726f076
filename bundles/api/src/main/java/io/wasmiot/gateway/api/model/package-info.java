/**
 * The device model: the records and enums of a device's document ({@link io.wasmiot.gateway.api.model.Device}
 * with its {@link io.wasmiot.gateway.api.model.Communication}, {@link io.wasmiot.gateway.api.model.Health},
 * {@link io.wasmiot.gateway.api.model.DeviceStatus} and status log of
 * {@link io.wasmiot.gateway.api.model.StatusChange}s) and of what is learnt about a device: a
 * {@link io.wasmiot.gateway.api.model.Sighting}, a {@link io.wasmiot.gateway.api.model.ProbeResult}, a
 * {@link io.wasmiot.gateway.api.model.DeviceLogLine}. Values only, no services; free of Jackson, jmdns
 * and JDBC types (opaque JSON travels as text). The services' signatures use them.
 */
@Export
@Version("1.0.0")
package io.wasmiot.gateway.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
