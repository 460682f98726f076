package io.wasmiot.gateway.mdns.internal;

/**
 * When to query again after a burst of new services. A jmdns browser loses part of a burst (its
 * socket's receive buffer overflows with every device's probes and announcements at once) and
 * never asks again on its own; a query once the burst is quiet makes every responder answer again,
 * as one compact answer per device instead of five announcements. Rounds repeat while they find
 * something new, up to {@link #MAX_ROUNDS}. A lone device joining causes no query. Not thread safe:
 * used on the browser's state thread.
 */
final class BurstCatchUp {
    /** New services within one quiet window that make a burst. */
    static final int BURST = 8;
    static final int MAX_ROUNDS = 4;
    /** How long the network must be quiet (no new service) before a catch-up query. */
    static final long QUIET_MILLIS = 1500;

    private int foundSinceQuery;
    private int rounds;

    /** A new service was found. @return whether to (re)arm the quiet timer */
    boolean found() {
        foundSinceQuery++;
        return rounds > 0 || foundSinceQuery >= BURST;
    }

    /** The quiet timer fired. @return whether to query now (then arm the timer again) */
    boolean quiet() {
        boolean lastRoundFoundNothing = rounds > 0 && foundSinceQuery == 0;
        if (lastRoundFoundNothing || rounds >= MAX_ROUNDS) {
            rounds = 0;
            foundSinceQuery = 0;
            return false;
        }
        rounds++;
        foundSinceQuery = 0;
        return true;
    }

    int rounds() {
        return rounds;
    }
}
