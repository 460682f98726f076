package io.wasmiot.gateway.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps refusals from filling the log: a refusal is logged once a minute per key (a peer address, a
 * device), for at most {@link #MAX_KEYS} keys at a time (the least recent forgotten beyond).
 */
final class RefusalLog {
    static final int MAX_KEYS = 1024;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier clock;
    private final LinkedHashMap<String, Long> lastLogged = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_KEYS;
        }
    };

    RefusalLog(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** Whether to log this refusal now (and then not again for this key for a minute). */
    synchronized boolean shouldLog(String key) {
        long now = clock.getAsLong();
        Long last = lastLogged.get(key);
        if (last != null && now - last < MINUTE_NANOS) {
            return false;
        }
        lastLogged.put(key, now);
        return true;
    }
}
