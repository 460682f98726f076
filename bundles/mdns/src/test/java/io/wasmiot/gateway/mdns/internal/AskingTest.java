package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

public class AskingTest {

    /** A timer task as Asking arms it; run by hand, with the clock moved to its due time. */
    private record Armed(Runnable task, long delayMillis, long dueMillis) {
    }

    private final List<Message> sent = new ArrayList<>();
    private final List<Armed> armed = new ArrayList<>();
    private long nowMillis;
    private final List<Record> knownAnswers = new ArrayList<>();

    private final Asking asking = new Asking(sent::add, () -> List.copyOf(knownAnswers), (task, delay) -> {
        Armed timer = new Armed(task, delay, nowMillis + delay);
        armed.add(timer);
        return new ArmedFuture(timer);
    }, () -> TimeUnit.MILLISECONDS.toNanos(nowMillis));

    /** Runs the earliest armed task at its due time. */
    private Armed runNext() {
        Armed next = armed.stream().min((a, b) -> Long.compare(a.dueMillis(), b.dueMillis())).orElseThrow();
        armed.remove(next);
        nowMillis = next.dueMillis();
        next.task().run();
        return next;
    }

    private long browseQueriesSent() {
        return sent.stream().filter(m -> m.getQuestion() != null && m.getQuestion().getType() == Type.PTR
                && m.getQuestion().getName().equals(ServiceCache.SERVICE_TYPE)).count();
    }

    @Test
    public void browseQueriesCarryTheKnownAnswers() {
        knownAnswers.add(new PTRRecord(ServiceCache.SERVICE_TYPE, DClass.IN, 4000, Wire.instance("known")));
        asking.browseFromNow();
        assertEquals(1, sent.size());
        assertEquals(knownAnswers, sent.get(0).getSection(Section.ANSWER));
    }

    @Test
    public void onceABurstIsCaughtUpTheNetworkIsAskedAgainAtOneTwoFourSeconds() {
        for (int i = 0; i < BurstCatchUp.BURST; i++) {
            asking.foundNew();
        }
        runNext(); // quiet after the burst: round 1
        assertEquals(1, browseQueriesSent());
        while (armed.stream().noneMatch(a -> a.delayMillis() == Asking.FIRST_BROWSE_INTERVAL_MILLIS)) {
            runNext(); // waits for round 1's answers; none come: caught up
        }
        assertEquals("no more catch-up queries", 1, browseQueriesSent());
        assertEquals(List.of(1000L, 2000L, 4000L), browseGaps(3));
        assertEquals(4, browseQueriesSent());
    }

    @Test
    public void anEpisodeEndingStillFindingAsksAgainAtOneTwoFourSecondsUntilItsFollowUp() {
        for (int i = 0; i < BurstCatchUp.BURST; i++) {
            asking.foundNew();
        }
        for (int round = 1; round <= BurstCatchUp.MAX_ROUNDS; round++) {
            runNext(); // the quiet timer: a catch-up query
            assertEquals(round, asking.catchUpQueries.get());
            nowMillis += 100;
            asking.foundNew(); // each round finds one more
        }
        runNext(); // the last round still found one: the episode ends, a follow-up after the cool-down
        assertEquals(BurstCatchUp.MAX_ROUNDS, asking.catchUpQueries.get());
        assertTrue(asking.catchUpPending);
        long ended = nowMillis;
        List<Long> browsedAt = new ArrayList<>();
        while (asking.catchUpQueries.get() == BurstCatchUp.MAX_ROUNDS) {
            long before = browseQueriesSent();
            runNext();
            if (browseQueriesSent() > before && asking.catchUpQueries.get() == BurstCatchUp.MAX_ROUNDS) {
                browsedAt.add(nowMillis - ended);
            }
        }
        assertEquals("the follow-up came after the cool-down", ended + BurstCatchUp.COOL_DOWN_MILLIS, nowMillis);
        assertEquals("browse queries 1 s and 2 s apart meanwhile", List.of(1000L, 3000L), browsedAt);
    }

    @Test
    public void aCatchUpRoundAsksAtOnceForNamesHeardOnlyInProbes() {
        org.xbill.DNS.Name probed = Wire.instance("probed-only");
        asking.askAfterProbe(probed); // its announcements were lost
        for (int i = 0; i < BurstCatchUp.BURST; i++) {
            asking.foundNew();
        }
        runNext(); // the burst is quiet: a catch-up round
        assertEquals(1, asking.catchUpQueries.get());
        assertTrue("due at once", armed.stream().anyMatch(a -> a.delayMillis() == 0));
        runNext();
        long askedAt = nowMillis;
        assertTrue("asked for by name in the round, not " + Resolution.AFTER_PROBE_MILLIS + " ms after its probe",
                sent.stream().anyMatch(m -> m.getQuestion() != null && m.getQuestion().getName().equals(probed)
                        && m.getQuestion().getType() == Type.ANY));
        assertTrue(askedAt < Resolution.AFTER_PROBE_MILLIS);
    }

    /** Runs the armed tasks until {@code count} more browse queries went out; the time between them. */
    private List<Long> browseGaps(int count) {
        List<Long> gaps = new ArrayList<>();
        long last = nowMillis;
        long target = browseQueriesSent() + count;
        while (browseQueriesSent() < target) {
            long before = browseQueriesSent();
            runNext();
            if (browseQueriesSent() > before) {
                gaps.add(nowMillis - last);
                last = nowMillis;
            }
        }
        return gaps;
    }

    /** Asking only cancels what it armed; the test runs the tasks itself. */
    private final class ArmedFuture implements ScheduledFuture<Object> {
        private final Armed timer;

        ArmedFuture(Armed timer) {
            this.timer = timer;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return armed.remove(timer);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
