package io.wasmiot.agent.internal;

import java.time.Duration;

/** Fleet settings for unit tests: no mDNS, 127.0.0.1, short timers. */
public final class TestFleets {
    private TestFleets() {
    }

    public static FleetSettings.Builder withoutMdns() {
        return FleetSettings.builder()
                .mdnsEnabled(false)
                .advertisedAddress(NetworkAddresses.loopback())
                .eventLoopThreads(1)
                .lifecycleThreads(4)
                .registerInitialBackoff(Duration.ofMillis(50))
                .registerMaxBackoff(Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(2))
                .renewalPause(Duration.ofMillis(100))
                .slowDelay(Duration.ofMillis(600))
                .flapEvery(2)
                .faultAfter(Duration.ofMillis(300))
                .closeTimeout(Duration.ofSeconds(3));
    }

    /** A healthy device on a free port below the ephemeral range (see {@link TestHttp#freePorts}). */
    public static DeviceSettings device(String name) {
        try {
            return DeviceSettings.healthy(name, TestHttp.freePort(), null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
