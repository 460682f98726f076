/**
 * The device store: the {@link io.wasmiot.gateway.api.store.DeviceStore} service (provided by the store
 * bundle) and the {@link io.wasmiot.gateway.api.store.StoreException} it throws when its database fails.
 */
@Export
@Version("1.1.0")
package io.wasmiot.gateway.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
