package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's one JmDNS responder, advertising {@code name._webthing._tcp.local.} per device; or
 * nothing at all when mDNS is off ({@link #disabled()}).
 */
final class MdnsAdvertiser {
    static final String SERVICE_TYPE = "_webthing._tcp.local.";
    private static final Logger LOG = LoggerFactory.getLogger(MdnsAdvertiser.class);

    private final JmDNS jmdns;

    private MdnsAdvertiser(JmDNS jmdns) {
        this.jmdns = jmdns;
    }

    /** A responder bound to {@code address}, announcing A records as {@code hostName.local.}. */
    static MdnsAdvertiser open(InetAddress address, String hostName) throws IOException {
        JmDNS jmdns = JmDNS.create(address, hostName);
        LOG.info("mDNS responder up on {} as {}", address.getHostAddress(), jmdns.getHostName());
        return new MdnsAdvertiser(jmdns);
    }

    static MdnsAdvertiser disabled() {
        return new MdnsAdvertiser(null);
    }

    boolean enabled() {
        return jmdns != null;
    }

    /**
     * Registers the service; JmDNS probes and announces it in the background. Returns the
     * registered info ({@code null} when mDNS is off). Should another host own the name, JmDNS
     * renames ours ("name (2)"); that is logged, since the gateway then knows the device by the
     * new name.
     */
    ServiceInfo advertise(String name, int port, Map<String, String> txt) throws IOException {
        if (jmdns == null) {
            return null;
        }
        ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name, port, 0, 0, txt);
        jmdns.registerService(info);
        if (!info.getName().equals(name)) {
            LOG.warn("{}: the name is taken on this network; JmDNS advertises it as '{}'", name, info.getName());
        }
        return info;
    }

    /**
     * Registers a record exactly as given, for tests of hostile records: any name, any port (0
     * included), TXT values as raw bytes (invalid UTF-8, near-limit lengths). No renaming check,
     * no device behind it unless the port is one.
     */
    ServiceInfo advertiseRaw(String name, int port, Map<String, byte[]> txt) throws IOException {
        if (jmdns == null) {
            throw new IOException("mDNS is off (--no-mdns)");
        }
        ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name, port, 0, 0, txt);
        jmdns.registerService(info);
        return info;
    }

    /**
     * Unregisters the service: JmDNS multicasts the goodbye (TTL 0) at once and repeats it, and
     * this call waits until it is done (about 2 s, at most 5 s). Blocking: never call on an event
     * loop.
     */
    void withdraw(ServiceInfo info) {
        if (jmdns != null && info != null) {
            jmdns.unregisterService(info);
        }
    }

    /** Says goodbye for every registered service and closes the responder (seconds: bound the caller). */
    void close() throws IOException {
        if (jmdns != null) {
            jmdns.close();
        }
    }
}
