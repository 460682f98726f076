package io.wasmiot.agent.internal.mdns;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

import org.junit.Assume;

import io.wasmiot.agent.internal.NetworkAddresses;

/** mDNS tests run only where loopback is the only interface up (bin/netns-run), so no multicast leaves the machine. */
public final class Loopback {
    private Loopback() {
    }

    public static void assumeOnlyLoopback() {
        Assume.assumeTrue("mDNS only inside the loopback-only namespace (bin/netns-run)", onlyLoopbackIsUp());
    }

    public static Inet4Address address() {
        return NetworkAddresses.parseIpv4("127.0.0.1");
    }

    private static boolean onlyLoopbackIsUp() {
        try {
            for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (candidate.isUp() && !candidate.isLoopback()) {
                    return false;
                }
            }
            return true;
        } catch (SocketException e) {
            return false;
        }
    }
}
