/**
 * The WasmIoT gateway's device model and the services its bundles meet through.
 * Free of Jackson, jmdns and JDBC types: opaque JSON travels as text.
 */
@Export
@Version("1.3.0")
package io.wasmiot.gateway.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
