package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.Test;

import io.wasmiot.gateway.mdns.internal.BurstCatchUp.Step;

public class BurstCatchUpTest {
    /** An arbitrary start: nanoTime may be negative. */
    private static final long T0 = -123_456_789L;

    private static long at(long millis) {
        return T0 + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void find(BurstCatchUp catchUp, int services, long atMillis) {
        for (int i = 0; i < services; i++) {
            catchUp.found(at(atMillis));
        }
    }

    @Test
    public void aFewDevicesJoiningCauseNoQuery() {
        BurstCatchUp catchUp = new BurstCatchUp();
        for (int i = 1; i < BurstCatchUp.BURST; i++) {
            assertFalse("device " + i, catchUp.found(at(0)));
        }
    }

    @Test
    public void aBurstIsQueriedAgainUntilARoundFindsNothingNew() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST - 1, 0);
        assertTrue("the burst-th new service arms the timer", catchUp.found(at(0)));
        assertEquals("quiet after the burst: query", Step.QUERY, catchUp.quiet(at(0)));
        // answers read 1.4 s after the query (a loaded gateway): an empty round waits the longest
        assertTrue("during catch-up every find re-arms the timer", catchUp.found(at(1400)));
        find(catchUp, 40, 1400);
        assertEquals("the first query found more: query again", Step.QUERY, catchUp.quiet(at(1500)));
        assertEquals(2, catchUp.rounds());
        assertEquals("the second query found nothing yet: its answers are awaited", Step.WAIT, catchUp.quiet(at(3000)));
        assertEquals(BurstCatchUp.ANSWER_WAIT_MILLIS - 1500, catchUp.waitMillis());
        assertEquals("the second query found nothing: the burst is complete", Step.CAUGHT_UP,
                catchUp.quiet(at(1500 + BurstCatchUp.ANSWER_WAIT_MILLIS)));
        assertEquals(0, catchUp.rounds());
        assertFalse("a lone device afterwards causes no query", catchUp.found(at(0)));
    }

    @Test
    public void answersReportedSecondsAfterTheQueryStillCountForItsRound() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.QUERY, catchUp.quiet(at(0)));
        assertEquals("nothing yet 1.5 s after the query", Step.WAIT, catchUp.quiet(at(1500)));
        assertTrue(catchUp.found(at(2500))); // the first answer read 2.5 s after the query
        find(catchUp, 60, 2600);
        assertEquals("the late answers found more: query again", Step.QUERY, catchUp.quiet(at(4000)));
        assertEquals(2, catchUp.rounds());
    }

    @Test
    public void roundsAreBoundedEvenWhenEveryQueryFindsMore() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST, 0);
        int queries = 0;
        long now = 0;
        while (catchUp.quiet(at(now)) == Step.QUERY) {
            queries++;
            find(catchUp, 3, now);
            now += BurstCatchUp.QUIET_MILLIS;
        }
        assertEquals(BurstCatchUp.MAX_ROUNDS, queries);
    }

    @Test
    public void anEpisodeThatEndsStillFindingIsFollowedUpAfterTheCoolDownWithoutNewFinds() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST, 0);
        long now = 0;
        for (int round = 1; round <= BurstCatchUp.MAX_ROUNDS; round++) {
            assertEquals("round " + round, Step.QUERY, catchUp.quiet(at(now)));
            find(catchUp, 20, now);
            now += BurstCatchUp.QUIET_MILLIS;
        }
        assertEquals("the last round still found some: a follow-up", Step.STILL_FINDING, catchUp.quiet(at(now)));
        assertEquals(BurstCatchUp.COOL_DOWN_MILLIS, catchUp.waitMillis());
        now += BurstCatchUp.COOL_DOWN_MILLIS;
        assertEquals("nothing new turned up meanwhile: a query all the same", Step.QUERY, catchUp.quiet(at(now)));
        assertEquals(1, catchUp.rounds());
        now += BurstCatchUp.ANSWER_WAIT_MILLIS;
        assertEquals("caught up", Step.CAUGHT_UP, catchUp.quiet(at(now)));
        assertFalse("caught up: a lone device afterwards causes no query", catchUp.found(at(0)));
        assertEquals(Step.DONE, catchUp.quiet(at(now + 1)));

        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.WAIT, catchUp.quiet(at(now + 1)));
        assertEquals("the follow-up waited for its cool-down: the next one is doubled",
                2 * BurstCatchUp.COOL_DOWN_MILLIS - 1, catchUp.waitMillis());
    }

    @Test
    public void aNewEpisodeWaitsForTheCoolDownAndThenCatchesUpWhatJoinedMeanwhile() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.QUERY, catchUp.quiet(at(0)));
        long end = BurstCatchUp.ANSWER_WAIT_MILLIS;
        assertEquals("nothing new: the episode ends", Step.CAUGHT_UP, catchUp.quiet(at(end)));

        find(catchUp, 50, end + 1000); // devices keep joining
        assertEquals(Step.WAIT, catchUp.quiet(at(end + 2000)));
        assertEquals(BurstCatchUp.COOL_DOWN_MILLIS - 2000, catchUp.waitMillis());
        find(catchUp, 5, end + 3000);
        assertEquals("still cooling down", Step.WAIT, catchUp.quiet(at(end + BurstCatchUp.COOL_DOWN_MILLIS - 1)));
        assertEquals("the cool-down is over: one query for all that joined", Step.QUERY,
                catchUp.quiet(at(end + BurstCatchUp.COOL_DOWN_MILLIS)));
        assertEquals(1, catchUp.rounds());
    }

    @Test
    public void aFewDevicesJoiningDuringTheCoolDownCauseNoQueryAfterIt() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.QUERY, catchUp.quiet(at(0)));
        assertEquals(Step.CAUGHT_UP, catchUp.quiet(at(BurstCatchUp.ANSWER_WAIT_MILLIS)));
        assertFalse(catchUp.found(at(0)));
        assertEquals("a timer armed before the episode ended finds too few", Step.DONE, catchUp.quiet(at(70_000)));
    }

    @Test
    public void episodesThatKeepWaitingForTheirCoolDownDoubleItUpToTheMostAndAQuietOneResetsIt() {
        BurstCatchUp catchUp = new BurstCatchUp();
        long now = 0;
        long expected = BurstCatchUp.COOL_DOWN_MILLIS;
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.QUERY, catchUp.quiet(at(now)));
        now += BurstCatchUp.ANSWER_WAIT_MILLIS;
        assertEquals(Step.CAUGHT_UP, catchUp.quiet(at(now)));
        for (int episode = 0; episode < 8; episode++) {
            find(catchUp, BurstCatchUp.BURST, now); // every answer storm lost some: more keep turning up
            assertEquals(Step.WAIT, catchUp.quiet(at(now + 1)));
            assertEquals("episode " + episode, expected - 1, catchUp.waitMillis());
            now += expected;
            assertEquals(Step.QUERY, catchUp.quiet(at(now)));
            now += BurstCatchUp.ANSWER_WAIT_MILLIS;
            assertEquals(Step.CAUGHT_UP, catchUp.quiet(at(now)));
            expected = Math.min(2 * expected, BurstCatchUp.MAX_COOL_DOWN_MILLIS);
        }
        assertEquals(BurstCatchUp.MAX_COOL_DOWN_MILLIS, expected);

        // a burst long after the cool-down ended: no burst waited, so the cool-down is back to the first
        now += 2 * BurstCatchUp.MAX_COOL_DOWN_MILLIS;
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.QUERY, catchUp.quiet(at(now)));
        now += BurstCatchUp.ANSWER_WAIT_MILLIS;
        assertEquals(Step.CAUGHT_UP, catchUp.quiet(at(now)));
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.WAIT, catchUp.quiet(at(now + 1)));
        assertEquals(BurstCatchUp.COOL_DOWN_MILLIS - 1, catchUp.waitMillis());
    }

    @Test
    public void onAnIdleLinkAnEmptyRoundEndsOnceItsAnswersHadFourTimesAsLongAsTheFastestCameAtLeastTheQuietWindow() {
        BurstCatchUp catchUp = new BurstCatchUp();
        find(catchUp, BurstCatchUp.BURST, 0);
        assertEquals(Step.QUERY, catchUp.quiet(at(0)));
        find(catchUp, 6, 600); // answered within 600 ms
        assertEquals(Step.QUERY, catchUp.quiet(at(2100)));
        find(catchUp, 2, 2100 + 2000); // 2 s after the query: a device asked for by name, no answer to it
        assertEquals(Step.QUERY, catchUp.quiet(at(5600)));
        assertEquals("nothing new yet", Step.WAIT, catchUp.quiet(at(5600 + BurstCatchUp.QUIET_MILLIS)));
        assertEquals("4 x 600 ms after the query", 4 * 600 - BurstCatchUp.QUIET_MILLIS, catchUp.waitMillis());
        assertEquals(Step.CAUGHT_UP, catchUp.quiet(at(5600 + 4 * 600)));

        find(catchUp, BurstCatchUp.BURST, 20_000);
        assertEquals(Step.QUERY, catchUp.quiet(at(20_000)));
        find(catchUp, 3, 20_050); // answered within 50 ms: 4 x 50 ms is shorter than the quiet window
        assertEquals(Step.QUERY, catchUp.quiet(at(21_550)));
        assertEquals("a round is never judged empty sooner than the quiet window", Step.CAUGHT_UP,
                catchUp.quiet(at(21_550 + BurstCatchUp.QUIET_MILLIS)));
    }
}
