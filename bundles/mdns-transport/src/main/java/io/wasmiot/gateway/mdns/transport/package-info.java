/**
 * The gateway's mDNS transport: one socket on 224.0.0.251:5353 joined on every interface the
 * gateway uses, whose datagrams are parsed once (dnsjava) and handed to every
 * {@link io.wasmiot.gateway.mdns.transport.MdnsListener} (a whiteboard), and through which discovery
 * sources send their queries. Discovery policy (which services, what they mean) lives in the sources.
 */
@Export
@Version("1.0.0")
package io.wasmiot.gateway.mdns.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
