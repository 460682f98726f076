package io.wasmiot.gateway.mdns.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a device the core forgot may be reported again while it keeps advertising: at once would
 * make a device whose description always fails an endless introduction loop; never would lose a
 * device whose introduction failed once (a slow moment) until it announces itself again. The
 * back-off doubles while the same name keeps being forgotten. Not thread safe: used on the
 * browser's state thread.
 */
final class ReofferBackoff {
    static final long FIRST_MILLIS = 10_000;
    static final long MAX_MILLIS = 300_000;
    /** Names remembered at most; the oldest go first (a flood of hostile names stays bounded). */
    static final int MAX_NAMES = 10_000;

    private record Wait(long notBeforeNanos, long backoffMillis) {
    }

    private final Map<String, Wait> waits = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Wait> eldest) {
            return size() > MAX_NAMES;
        }
    };

    /** The core forgot {@code name} at {@code nowNanos}. @return the back-off now in force, in ms */
    long forgotten(String name, long nowNanos) {
        Wait previous = waits.remove(name);
        long backoff = previous == null ? FIRST_MILLIS : Math.min(MAX_MILLIS, previous.backoffMillis() * 2);
        waits.put(name, new Wait(nowNanos + backoff * 1_000_000, backoff));
        return backoff;
    }

    /** Whether {@code name} may be reported again at {@code nowNanos}. */
    boolean mayReport(String name, long nowNanos) {
        Wait wait = waits.get(name);
        return wait == null || nowNanos - wait.notBeforeNanos() >= 0;
    }

    /** The device said goodbye or the gateway wiped everything: its history no longer counts. */
    void clear(String name) {
        waits.remove(name);
    }

    void clear() {
        waits.clear();
    }
}
