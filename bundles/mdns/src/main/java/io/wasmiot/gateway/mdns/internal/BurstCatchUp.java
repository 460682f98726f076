package io.wasmiot.gateway.mdns.internal;

import java.util.concurrent.TimeUnit;

/**
 * When to query again after a burst of new services. A burst loses part of what its devices send
 * (receive buffers overflow, the link drops its share) and devices announce only at their start;
 * a query once the burst is quiet makes every device not yet heard answer. Rounds repeat while they
 * find something new, up to {@link #MAX_ROUNDS}: an episode. A lone device joining causes no query.
 * A round counts as empty only once its answers had time to come: four times as long as the
 * fastest first answer of the episode's rounds took, at least {@link #QUIET_MILLIS} and at most
 * {@link #ANSWER_WAIT_MILLIS}, or the latter when no round was answered yet, because under load
 * answers are read seconds after the query, while on an idle lossy link they come within half a
 * second (a responder waits up to 500 ms for the rest of a query's known answers). The fastest,
 * because a round's first find may be no answer to it at all but a device asked for by name. An
 * episode whose last round still found something has not caught up: a follow-up episode comes after the cool-down even
 * if nothing new turns up meanwhile (the rest of the burst will not announce again).
 *
 * <p>Episodes are rationed: a new one starts no sooner than a cool-down after the last one ended,
 * {@link #COOL_DOWN_MILLIS}, doubled after every episode that had to wait for its cool-down (a burst
 * or a follow-up was already waiting when it ended), up to {@link #MAX_COOL_DOWN_MILLIS}, and back to
 * the first when an episode starts with none having waited; what joins meanwhile is caught up after
 * the cool-down. (With known answers in the queries an episode costs little, but a responder that
 * ignores them still answers with everything.) How these values were found:
 * docs/notes-code.md and docs/notes-mdns-intake.md.
 *
 * <p>Not thread safe: used on the browser's state thread. Times are {@link System#nanoTime()}.
 */
final class BurstCatchUp {
    /** New services within one quiet window that make a burst. */
    static final int BURST = 8;
    static final int MAX_ROUNDS = 4;
    /** How long the network must be quiet (no new service) before a catch-up query. */
    static final long QUIET_MILLIS = 1500;
    /** The longest a round with nothing new found yet waits for its answers. */
    static final long ANSWER_WAIT_MILLIS = 5000;
    /** A round waits for answers this many times as long as the episode's fastest first answer took. */
    static final int ANSWER_WAIT_FACTOR = 4;
    /** The least time from the end of one episode to the first query of the next. */
    static final long COOL_DOWN_MILLIS = 5_000;
    static final long MAX_COOL_DOWN_MILLIS = 16 * 60_000;

    /** What the browser does when the quiet timer fires. */
    enum Step {
        /** Query now, then arm the quiet timer again. */
        QUERY,
        /** Nothing: there was no burst, or too small a one to query for. */
        DONE,
        /** An episode ended with a round that found nothing new. */
        CAUGHT_UP,
        /**
         * An episode ended at its last round still finding: arm the timer for {@link #waitMillis}, when
         * a follow-up episode starts.
         */
        STILL_FINDING,
        /** Arm the timer for {@link #waitMillis} and ask again. */
        WAIT
    }

    private int foundSinceQuery;
    private int rounds;
    private boolean coolingDown;
    private long coolDownUntil;
    private long coolDownMillis = COOL_DOWN_MILLIS;
    private long waitMillis;
    private long lastQueryNanos;
    /** The shortest from a query of this episode to the first new service after it; -1: none answered yet. */
    private long fastestFirstAnswerNanos = -1;
    /** A burst waited for the current cool-down to end. */
    private boolean burstWaiting;
    /** The last episode ended still finding: the next one starts after the cool-down, new finds or not. */
    private boolean followUp;
    /** The running episode waited for its cool-down. */
    private boolean episodeWaited;

    /** A new service was found at {@code nowNanos}. @return whether to (re)arm the quiet timer */
    boolean found(long nowNanos) {
        foundSinceQuery++;
        if (rounds > 0 && foundSinceQuery == 1) {
            long took = nowNanos - lastQueryNanos;
            fastestFirstAnswerNanos = fastestFirstAnswerNanos < 0 ? took : Math.min(fastestFirstAnswerNanos, took);
        }
        return rounds > 0 || foundSinceQuery >= BURST;
    }

    /** The quiet timer fired at {@code nowNanos}. */
    Step quiet(long nowNanos) {
        if (rounds == 0) {
            if (foundSinceQuery < BURST && !followUp) {
                foundSinceQuery = 0;
                return Step.DONE;
            }
            if (coolingDown && nowNanos - coolDownUntil < 0) {
                waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(coolDownUntil - nowNanos));
                burstWaiting = true;
                return Step.WAIT;
            }
            episodeWaited = burstWaiting || followUp;
            burstWaiting = false;
            followUp = false;
            if (!episodeWaited) {
                coolDownMillis = COOL_DOWN_MILLIS;
            }
            rounds = 1;
            foundSinceQuery = 0;
            lastQueryNanos = nowNanos;
            fastestFirstAnswerNanos = -1;
            return Step.QUERY;
        }
        long answerWaitLeft = lastQueryNanos + answerWaitNanos() - nowNanos;
        if (foundSinceQuery == 0 && answerWaitLeft > 0) {
            waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(answerWaitLeft));
            return Step.WAIT;
        }
        if (foundSinceQuery == 0 || rounds >= MAX_ROUNDS) {
            boolean caughtUp = foundSinceQuery == 0;
            rounds = 0;
            foundSinceQuery = 0;
            if (episodeWaited) {
                coolDownMillis = Math.min(2 * coolDownMillis, MAX_COOL_DOWN_MILLIS);
            }
            coolingDown = true;
            coolDownUntil = nowNanos + TimeUnit.MILLISECONDS.toNanos(coolDownMillis);
            if (caughtUp) {
                return Step.CAUGHT_UP;
            }
            followUp = true;
            waitMillis = coolDownMillis;
            return Step.STILL_FINDING;
        }
        rounds++;
        foundSinceQuery = 0;
        lastQueryNanos = nowNanos;
        return Step.QUERY;
    }

    private long answerWaitNanos() {
        long most = TimeUnit.MILLISECONDS.toNanos(ANSWER_WAIT_MILLIS);
        if (fastestFirstAnswerNanos < 0) {
            return most;
        }
        long scaled = ANSWER_WAIT_FACTOR * fastestFirstAnswerNanos;
        return Math.min(most, Math.max(TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS), scaled));
    }

    /**
     * After {@link Step#WAIT} or {@link Step#STILL_FINDING}: how long until the cool-down or the wait
     * for a query's answers ends.
     */
    long waitMillis() {
        return waitMillis;
    }

    int rounds() {
        return rounds;
    }
}
