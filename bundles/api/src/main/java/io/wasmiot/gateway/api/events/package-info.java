/**
 * Device lifecycle events on EventAdmin: the topics and property names of
 * {@link io.wasmiot.gateway.api.events.DeviceEvents} and the
 * {@link io.wasmiot.gateway.api.events.DeviceEventType}s the discovery core posts (REST's server-sent
 * events, the store's and metrics' handlers listen).
 */
@Export
@Version("1.0.0")
package io.wasmiot.gateway.api.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
