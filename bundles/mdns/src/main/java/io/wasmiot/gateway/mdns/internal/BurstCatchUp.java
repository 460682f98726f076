package io.wasmiot.gateway.mdns.internal;

import java.util.concurrent.TimeUnit;

/**
 * When to query again after a burst of new services. A jmdns browser loses part of a burst (its
 * socket's receive buffer overflows with every device's probes and announcements at once) and
 * never asks again on its own; a query once the burst is quiet makes every responder answer again,
 * as one compact answer per device instead of five announcements. Rounds repeat while they find
 * something new, up to {@link #MAX_ROUNDS}: an episode. A lone device joining causes no query.
 *
 * <p>Every responder answers such a query with all its services, and jmdns's cost for each record
 * it receives grows with the number of services it knows: one round among 5,000 devices kept jmdns's
 * receiving thread busy for seconds, and episodes that followed each other while devices kept
 * joining took a core for over a minute. So a new episode starts no sooner than {@link #COOL_DOWN_MILLIS}
 * after the last one ended; what joins meanwhile is counted and caught up after it.
 *
 * <p>Not thread safe: used on the browser's state thread. Times are {@link System#nanoTime()}.
 */
final class BurstCatchUp {
    /** New services within one quiet window that make a burst. */
    static final int BURST = 8;
    static final int MAX_ROUNDS = 4;
    /** How long the network must be quiet (no new service) before a catch-up query. */
    static final long QUIET_MILLIS = 1500;
    /** The least time from the end of one episode to the first query of the next. */
    static final long COOL_DOWN_MILLIS = 60_000;

    /** What the browser does when the quiet timer fires. */
    enum Step {
        /** Query now, then arm the quiet timer again. */
        QUERY,
        /** Nothing: the burst is caught up (or there was none). */
        DONE,
        /** Arm the timer for {@link #coolDownLeftMillis} and ask again. */
        WAIT
    }

    private int foundSinceQuery;
    private int rounds;
    private long coolDownUntil;
    private boolean coolingDown;
    private long coolDownLeftMillis;

    /** A new service was found. @return whether to (re)arm the quiet timer */
    boolean found() {
        foundSinceQuery++;
        return rounds > 0 || foundSinceQuery >= BURST;
    }

    /** The quiet timer fired at {@code nowNanos}. */
    Step quiet(long nowNanos) {
        if (rounds == 0) {
            if (foundSinceQuery < BURST) {
                foundSinceQuery = 0;
                return Step.DONE;
            }
            if (coolingDown && nowNanos - coolDownUntil < 0) {
                coolDownLeftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(coolDownUntil - nowNanos));
                return Step.WAIT;
            }
            rounds = 1;
            foundSinceQuery = 0;
            return Step.QUERY;
        }
        if (foundSinceQuery == 0 || rounds >= MAX_ROUNDS) {
            rounds = 0;
            foundSinceQuery = 0;
            coolingDown = true;
            coolDownUntil = nowNanos + TimeUnit.MILLISECONDS.toNanos(COOL_DOWN_MILLIS);
            return Step.DONE;
        }
        rounds++;
        foundSinceQuery = 0;
        return Step.QUERY;
    }

    /** After {@link Step#WAIT}: how long until the cool-down ends. */
    long coolDownLeftMillis() {
        return coolDownLeftMillis;
    }

    int rounds() {
        return rounds;
    }
}
