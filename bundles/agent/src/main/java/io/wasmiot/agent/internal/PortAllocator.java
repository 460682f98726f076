package io.wasmiot.agent.internal;

import java.util.Set;

/**
 * Hands out consecutive TCP ports from a base port, skipping the ports browsers and some HTTP
 * clients refuse to connect to (the WHATWG Fetch "bad ports"), so any client can reach a
 * simulated device.
 */
public final class PortAllocator {
    /** WHATWG Fetch "bad ports" (https://fetch.spec.whatwg.org/#port-blocking). */
    private static final Set<Integer> REFUSED_BY_BROWSERS = Set.of(1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23,
            25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135,
            137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563,
            587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
            6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080);
    private static final int MAX_PORT = 65535;

    private int next;

    public PortAllocator(int basePort) {
        if (basePort < 1 || basePort > MAX_PORT) {
            throw new IllegalArgumentException("base port " + basePort + " is outside 1-65535");
        }
        this.next = basePort;
    }

    public static boolean isRefusedByBrowsers(int port) {
        return REFUSED_BY_BROWSERS.contains(port);
    }

    /** The next usable port; {@link IllegalStateException} when the range above the base port is used up. */
    public synchronized int next() {
        while (next <= MAX_PORT && isRefusedByBrowsers(next)) {
            next++;
        }
        if (next > MAX_PORT) {
            throw new IllegalStateException("no ports left below 65536");
        }
        return next++;
    }

    /** Makes sure later {@link #next()} calls stay above {@code port} (a port taken by hand, e.g. by a move). */
    public synchronized void skipPast(int port) {
        if (port >= next) {
            next = port + 1;
        }
    }

    /** How many ports {@link #next()} can still hand out. */
    public synchronized int remaining() {
        int count = 0;
        for (int port = next; port <= MAX_PORT; port++) {
            if (!isRefusedByBrowsers(port)) {
                count++;
            }
        }
        return count;
    }
}
