package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ReofferBackoffTest {
    private static final long MS = 1_000_000;

    @Test
    public void aForgottenDeviceIsReportedAgainAfterABackOffThatDoubles() {
        ReofferBackoff backoff = new ReofferBackoff();
        assertTrue("never forgotten", backoff.mayReport("d", 0));
        assertEquals(ReofferBackoff.FIRST_MILLIS, backoff.forgotten("d", 0));
        assertFalse(backoff.mayReport("d", (ReofferBackoff.FIRST_MILLIS - 1) * MS));
        assertTrue(backoff.mayReport("d", ReofferBackoff.FIRST_MILLIS * MS));
        assertTrue("other names are not held back", backoff.mayReport("e", 1));

        long now = ReofferBackoff.FIRST_MILLIS * MS;
        assertEquals(2 * ReofferBackoff.FIRST_MILLIS, backoff.forgotten("d", now));
        for (int i = 0; i < 10; i++) {
            backoff.forgotten("d", now);
        }
        assertEquals(ReofferBackoff.MAX_MILLIS, backoff.forgotten("d", now));
    }

    @Test
    public void aGoodbyeOrAWipeClearsTheHistory() {
        ReofferBackoff backoff = new ReofferBackoff();
        backoff.forgotten("d", 0);
        backoff.forgotten("d", 0);
        backoff.clear("d");
        assertTrue(backoff.mayReport("d", 1));
        assertEquals(ReofferBackoff.FIRST_MILLIS, backoff.forgotten("d", 0));
        backoff.clear();
        assertTrue(backoff.mayReport("d", 1));
    }

    @Test
    public void theMemoryIsBounded() {
        ReofferBackoff backoff = new ReofferBackoff();
        for (int i = 0; i <= ReofferBackoff.MAX_NAMES; i++) {
            backoff.forgotten("d" + i, 0);
        }
        assertTrue("the oldest name was let go", backoff.mayReport("d0", 1));
        assertFalse(backoff.mayReport("d" + ReofferBackoff.MAX_NAMES, 1));
    }
}
