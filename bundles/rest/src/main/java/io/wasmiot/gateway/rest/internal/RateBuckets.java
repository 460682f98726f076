package io.wasmiot.gateway.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a device's {@code _id}): {@code burst} tokens, refilled at
 * {@code perSecond}; one token per line. At most {@code maxKeys} buckets, the least recently used
 * one dropped beyond (it would have been full again by then, or nearly). Thread safe.
 */
final class RateBuckets {
    private static final long NANOS = 1_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final int maxKeys;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long refilledNanos;

        Bucket(double tokens, long refilledNanos) {
            this.tokens = tokens;
            this.refilledNanos = refilledNanos;
        }
    }

    RateBuckets(double perSecond, int burst, int maxKeys, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.clock = nanoClock;
        // access order: the eldest is the bucket used least recently
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > RateBuckets.this.maxKeys;
            }
        };
    }

    /**
     * Takes one token from {@code key}'s bucket.
     *
     * @return 0 when taken; else the whole seconds (at least 1) until a token will be there
     */
    synchronized long take(String key) {
        long now = clock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledNanos) * perSecond / NANOS);
        bucket.refilledNanos = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
    }

    synchronized int size() {
        return buckets.size();
    }
}
