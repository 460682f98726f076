package io.wasmiot.gateway.mdns.transport;

import java.net.InetAddress;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;
import org.xbill.DNS.Message;

/** The mDNS socket, as a service: what a discovery source sends through and asks about. */
@ProviderType
public interface MdnsTransport {

    /**
     * Sends {@code message} to 224.0.0.251:5353 on every interface in use, from port 5353, so every
     * responder answers by multicast and every listener on the link (this one's included) sees the
     * answers. Never blocks long; a failure on one interface is logged and the others still get it.
     */
    void multicast(Message message);

    /** The IPv4 addresses of the interfaces in use now. */
    Set<InetAddress> addresses();

    /**
     * Whether {@code instanceName} (the first label of a service instance, such as
     * {@code orchestrator}) is this gateway's own advertisement, whatever it was renamed to after a
     * conflict, or another gateway's under the same self name ({@code orchestrator (2)}): gateways
     * never list themselves or each other.
     */
    boolean isGatewayInstance(String instanceName);
}
