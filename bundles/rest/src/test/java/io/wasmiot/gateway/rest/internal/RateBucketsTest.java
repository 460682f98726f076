package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class RateBucketsTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(5 * SECOND);

    @Test
    public void aBurstThenTheRateThenTheWaitUntilTheNextToken() {
        RateBuckets buckets = new RateBuckets(2, 3, 10, now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals("burst line " + i, 0, buckets.take("a"));
        }
        assertEquals("empty: a token in half a second, said as 1 s", 1, buckets.take("a"));
        now.addAndGet(SECOND / 2);
        assertEquals(0, buckets.take("a"));
        assertEquals(1, buckets.take("a"));
        assertEquals("another device has its own bucket", 0, buckets.take("b"));
        now.addAndGet(60 * SECOND);
        for (int i = 0; i < 3; i++) {
            assertEquals("refilled to the burst, not beyond", 0, buckets.take("a"));
        }
        assertEquals(1, buckets.take("a"));
    }

    @Test
    public void aSlowRateSaysHowLongToWait() {
        RateBuckets buckets = new RateBuckets(0.1, 1, 10, now::get);
        assertEquals(0, buckets.take("a"));
        assertEquals(10, buckets.take("a"));
        now.addAndGet(4 * SECOND);
        assertEquals(6, buckets.take("a"));
    }

    @Test
    public void atMostMaxKeysBucketsTheLeastRecentlyUsedGoFirst() {
        RateBuckets buckets = new RateBuckets(1, 1, 2, now::get);
        assertEquals(0, buckets.take("a"));
        assertEquals(0, buckets.take("b"));
        assertEquals(1, buckets.take("a")); // a used last: b is the eldest
        assertEquals(0, buckets.take("c"));
        assertEquals(2, buckets.size());
        assertEquals("a kept: still empty", 1, buckets.take("a"));
        assertEquals("b forgotten: a full bucket again", 0, buckets.take("b"));
    }
}
