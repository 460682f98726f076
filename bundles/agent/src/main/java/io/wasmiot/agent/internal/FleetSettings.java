package io.wasmiot.agent.internal;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Objects;

import io.wasmiot.agent.internal.mdns.RecordLifetimes;

/**
 * What a {@link DeviceFleet} shares between its devices. Defaults follow docs/contract.md §8 and §10; build with
 * {@link #builder()}.
 *
 * @param mdnsEnabled              advertise over mDNS (off: HTTP and registration only)
 * @param advertisedAddress        the devices' IPv4: their A records and TXT {@code address}, register
 *                                 bodies; the responder joins mDNS on its interface
 * @param listenOnAllInterfaces    bind HTTP ports on the wildcard address (a real device) rather than
 *                                 only on {@code advertisedAddress} (the simulator)
 * @param recordLifetimes          mDNS record lifetimes (python-zeroconf's by default: SRV/A 120 s, PTR/TXT 4500 s)
 * @param goodbyeOnClose           {@link DeviceFleet#close()} says goodbye for every device; false: they
 *                                 vanish from mDNS silently, as stopped python supervisors
 * @param eventLoopThreads         Netty threads serving every device's port
 * @param lifecycleThreads         threads for blocking lifecycle steps (binds, port closes, mDNS
 *                                 goodbyes: about 250 ms each)
 * @param registerInitialBackoff   first pause between registration attempts; doubles each time
 * @param registerMaxBackoff       longest pause between registration attempts
 * @param connectTimeout           registration: TCP connect bound
 * @param requestTimeout           registration: bound on waiting for the answer
 * @param maxConcurrentRegistrations registrations in flight at once (the rest queue)
 * @param idleTimeout              an HTTP connection with no traffic for this long is closed
 * @param maxRequestBytes          request body bound ({@code 413} above)
 * @param renewalPause             renewal: time between the goodbye and the new advertisement
 * @param slowDelay                fault {@code slow}: delay of every answer
 * @param flapEvery                fault {@code flapping}: length of each healthy / failing run of health answers
 * @param faultAfter               timed faults fire this long after start (or after being set)
 * @param closeTimeout             bound on closing (goodbyes take about 250 ms)
 * @param basePort                 first port {@link DeviceFleet#ports()} hands out (new devices, moves)
 * @param devicesPerDatagram       at most this many devices' records in one mDNS datagram; 0: as many as fit
 */
public record FleetSettings(boolean mdnsEnabled, Inet4Address advertisedAddress, boolean listenOnAllInterfaces,
        RecordLifetimes recordLifetimes, boolean goodbyeOnClose, int eventLoopThreads, int lifecycleThreads,
        Duration registerInitialBackoff, Duration registerMaxBackoff, Duration connectTimeout, Duration requestTimeout,
        int maxConcurrentRegistrations, Duration idleTimeout, int maxRequestBytes, Duration renewalPause,
        Duration slowDelay, int flapEvery, Duration faultAfter, Duration closeTimeout, int basePort,
        int devicesPerDatagram) {

    public FleetSettings {
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        Objects.requireNonNull(recordLifetimes, "recordLifetimes");
        requirePositive(eventLoopThreads, "eventLoopThreads");
        requirePositive(lifecycleThreads, "lifecycleThreads");
        requirePositive(maxConcurrentRegistrations, "maxConcurrentRegistrations");
        requirePositive(maxRequestBytes, "maxRequestBytes");
        requirePositive(flapEvery, "flapEvery");
        if (devicesPerDatagram < 0) {
            throw new IllegalArgumentException("devicesPerDatagram must be zero or positive");
        }
        if (basePort < 1 || basePort > 65535) {
            throw new IllegalArgumentException("base port " + basePort + " is outside 1-65535");
        }
        for (Duration d : new Duration[] {registerInitialBackoff, registerMaxBackoff, connectTimeout, requestTimeout,
                idleTimeout, renewalPause, slowDelay, faultAfter, closeTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be zero or positive");
            }
        }
        if (registerInitialBackoff.isZero() || idleTimeout.isZero() || connectTimeout.isZero()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("backoff, idle and HTTP timeouts must be positive");
        }
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: docs/contract.md §8 and §10. */
    public static final class Builder {
        private boolean mdnsEnabled = true;
        private Inet4Address advertisedAddress;
        private boolean listenOnAllInterfaces;
        private RecordLifetimes recordLifetimes = RecordLifetimes.PYTHON_ZEROCONF;
        private boolean goodbyeOnClose = true;
        private int eventLoopThreads = 2;
        private int lifecycleThreads = 32;
        private Duration registerInitialBackoff = Duration.ofSeconds(1);
        private Duration registerMaxBackoff = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private int maxConcurrentRegistrations = 8;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxRequestBytes = 64 * 1024;
        private Duration renewalPause = Duration.ofSeconds(5);
        private Duration slowDelay = Duration.ofSeconds(8);
        private int flapEvery = 5;
        private Duration faultAfter = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(8);
        private int basePort = 40000;
        private int devicesPerDatagram;

        private Builder() {
        }

        public Builder mdnsEnabled(boolean value) { mdnsEnabled = value; return this; }
        /** {@code null}: {@link NetworkAddresses#defaultAdvertisedAddress()}. */
        public Builder advertisedAddress(Inet4Address value) { advertisedAddress = value; return this; }
        public Builder listenOnAllInterfaces(boolean value) { listenOnAllInterfaces = value; return this; }
        public Builder recordLifetimes(RecordLifetimes value) { recordLifetimes = value; return this; }
        public Builder goodbyeOnClose(boolean value) { goodbyeOnClose = value; return this; }
        public Builder eventLoopThreads(int value) { eventLoopThreads = value; return this; }
        public Builder lifecycleThreads(int value) { lifecycleThreads = value; return this; }
        public Builder registerInitialBackoff(Duration value) { registerInitialBackoff = value; return this; }
        public Builder registerMaxBackoff(Duration value) { registerMaxBackoff = value; return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder requestTimeout(Duration value) { requestTimeout = value; return this; }
        public Builder maxConcurrentRegistrations(int value) { maxConcurrentRegistrations = value; return this; }
        public Builder idleTimeout(Duration value) { idleTimeout = value; return this; }
        public Builder maxRequestBytes(int value) { maxRequestBytes = value; return this; }
        public Builder renewalPause(Duration value) { renewalPause = value; return this; }
        public Builder slowDelay(Duration value) { slowDelay = value; return this; }
        public Builder flapEvery(int value) { flapEvery = value; return this; }
        public Builder faultAfter(Duration value) { faultAfter = value; return this; }
        public Builder closeTimeout(Duration value) { closeTimeout = value; return this; }
        public Builder basePort(int value) { basePort = value; return this; }
        public Builder devicesPerDatagram(int value) { devicesPerDatagram = value; return this; }

        public FleetSettings build() {
            Inet4Address address = advertisedAddress != null ? advertisedAddress
                    : NetworkAddresses.defaultAdvertisedAddress();
            return new FleetSettings(mdnsEnabled, address, listenOnAllInterfaces, recordLifetimes, goodbyeOnClose,
                    eventLoopThreads, lifecycleThreads, registerInitialBackoff, registerMaxBackoff, connectTimeout,
                    requestTimeout, maxConcurrentRegistrations, idleTimeout, maxRequestBytes, renewalPause, slowDelay, flapEvery,
                    faultAfter, closeTimeout, basePort,
                    devicesPerDatagram);
        }
    }
}
