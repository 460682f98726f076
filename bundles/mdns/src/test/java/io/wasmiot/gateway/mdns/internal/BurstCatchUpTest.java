package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class BurstCatchUpTest {

    private static void find(BurstCatchUp catchUp, int services) {
        for (int i = 0; i < services; i++) {
            catchUp.found();
        }
    }

    @Test
    public void aFewDevicesJoiningCauseNoQuery() {
        BurstCatchUp catchUp = new BurstCatchUp();
        for (int i = 1; i < BurstCatchUp.BURST; i++) {
            assertFalse("device " + i, catchUp.found());
        }
    }

    @Test
    public void aBurstIsQueriedAgainUntilARoundFindsNothingNew() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST - 1);
        assertTrue("the burst-th new service arms the timer", catchUp.found());
        assertTrue("quiet after the burst: query", catchUp.quiet());
        assertTrue("during catch-up every find re-arms the timer", catchUp.found());
        find(catchUp, 40);
        assertTrue("the first query found more: query again", catchUp.quiet());
        assertEquals(2, catchUp.rounds());
        assertFalse("the second query found nothing: the burst is complete", catchUp.quiet());
        assertEquals(0, catchUp.rounds());
        assertFalse("a lone device afterwards causes no query", catchUp.found());
    }

    @Test
    public void roundsAreBoundedEvenWhenEveryQueryFindsMore() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST);
        int queries = 0;
        while (catchUp.quiet()) {
            queries++;
            find(catchUp, 3);
        }
        assertEquals(BurstCatchUp.MAX_ROUNDS, queries);
    }
}
