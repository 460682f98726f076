package io.wasmiot.gateway.probe.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Endpoints ({@code scheme://host:port}) whose last request ran out of time: a device that accepts
 * connections and never answers, or cannot be reached at all. Their next requests go through a
 * small pool of their own ({@link HttpDeviceProber}), so however many devices go silent they hold
 * at most that pool's slots, each for a whole deadline, and never the slots the answering devices
 * need (docs/contract.md §10: nothing a device does may block other devices' checks). Any other outcome (an
 * answer, even an error status, or a refusal) takes the endpoint off the list. Bounded: the least
 * recently touched endpoint is forgotten first. Thread safe.
 */
final class SlowEndpoints {
    /** More than a gateway's devices (10,000 by default) have addresses, with room for a few each. */
    static final int MAX_REMEMBERED = 32_768;

    private final Map<String, Boolean> slow = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    synchronized boolean isSlow(String endpoint) {
        return slow.get(endpoint) != null;
    }

    /** The outcome of a request to {@code endpoint}: whether it ran out of time. */
    synchronized void record(String endpoint, boolean timedOut) {
        if (timedOut) {
            slow.put(endpoint, Boolean.TRUE);
        } else {
            slow.remove(endpoint);
        }
    }

    synchronized int size() {
        return slow.size();
    }
}
