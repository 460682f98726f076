/**
 * Access to the gateway's HTTP API: the check of its bearer token, shared by the bundles that serve
 * under that API so that the token has one home.
 */
@Export
@Version("1.0.0")
package io.wasmiot.gateway.api.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
