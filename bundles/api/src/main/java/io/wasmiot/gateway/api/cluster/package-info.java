/**
 * Several gateways sharing one store: {@link io.wasmiot.gateway.api.cluster.DeviceLeases} (provided by the
 * cluster bundle on PostgreSQL, by the store bundle on H2) decides which live gateway checks which device, one
 * {@link io.wasmiot.gateway.api.cluster.LeaseRound} at a time.
 */
@Export
@Version("1.0.0")
package io.wasmiot.gateway.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
