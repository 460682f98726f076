package io.wasmiot.gateway.mdns.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;
import org.xbill.DNS.Message;

/**
 * Whiteboard: register a service of this type to receive every mDNS datagram the transport reads,
 * parsed. Calls come on the transport's one receiving thread, in the order of the wire: an
 * implementation does its bookkeeping and returns at once (hand anything slow to a thread of its
 * own), or it holds up every other listener and the socket's buffer fills.
 */
@ConsumerType
public interface MdnsListener {

    /**
     * One datagram.
     *
     * @param message the parsed message; shared by all listeners, so never modified
     * @param sender where it came from (responses that do not come from port 5353 are not mDNS)
     */
    void received(Message message, InetSocketAddress sender);

    /**
     * The transport joined the mDNS group on an interface with {@code address} (at start, or when an
     * interface came up or back): devices there have not been asked yet. Also called for every
     * address in use when the listener is added.
     */
    default void interfaceUp(InetAddress address) {
    }
}
