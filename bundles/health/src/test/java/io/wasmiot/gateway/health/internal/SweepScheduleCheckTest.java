package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalDouble;

import org.apache.felix.hc.api.Result;
import org.junit.Test;

public class SweepScheduleCheckTest {
    private static final double NOW = 1_000_000;

    private static Result judge(double started, double interval) {
        return SweepScheduleCheck.judge(OptionalDouble.of(started), OptionalDouble.of(interval), NOW, 10);
    }

    @Test
    public void aSweepWithinTheIntervalAndTheBoundIsOk() {
        assertEquals(Result.Status.OK, judge(NOW - 3, 15).getStatus());
        assertEquals("exactly interval + bound is not late yet", Result.Status.OK, judge(NOW - 25, 15).getStatus());
    }

    @Test
    public void aSweepLaterThanTheIntervalAndTheBoundIsCritical() {
        Result late = judge(NOW - 26, 15);
        assertEquals(Result.Status.CRITICAL, late.getStatus());
        assertTrue(late.toString(), late.toString().contains("started 26 s ago"));
    }

    @Test
    public void noCoreIsCriticalAndNoSweepYetIsTemporarilyUnavailable() {
        assertEquals(Result.Status.CRITICAL,
                SweepScheduleCheck.judge(OptionalDouble.empty(), OptionalDouble.empty(), NOW, 10).getStatus());
        assertEquals(Result.Status.TEMPORARILY_UNAVAILABLE, judge(0, 15).getStatus());
    }

    /** The check with a clock at {@code NOW}, the bound configured, and the core's gauges as given. */
    private static SweepScheduleCheck check(int lateAfterSeconds, double startedAgo, double interval) {
        SweepScheduleCheck check = new SweepScheduleCheck(config(lateAfterSeconds),
                Clock.fixed(Instant.ofEpochSecond((long) NOW), ZoneOffset.UTC));
        check.metrics = List.of(new Metrics().gauge(SweepScheduleCheck.STARTED, NOW - startedAgo)
                .gauge(SweepScheduleCheck.INTERVAL, interval));
        return check;
    }

    @Test
    public void executeReadsTheCoresGaugesAndItsConfiguredBound() {
        assertEquals("7 s > 1 s + 5 s", Result.Status.CRITICAL, check(5, 7, 1).execute().getStatus());
        SweepScheduleCheck onTime = check(5, 6, 1);
        assertEquals(Result.Status.OK, onTime.execute().getStatus());
        onTime.metrics = List.of();
        assertEquals("no core", Result.Status.CRITICAL, onTime.execute().getStatus());
    }

    @Test
    public void aBoundOutOfRangeIsSetToTheNearestBound() {
        assertEquals("a bound of 0 counts as 1: 3 s > 1 s + 1 s", Result.Status.CRITICAL,
                check(0, 3, 1).execute().getStatus());
        assertEquals("a bound of 0 counts as 1: 2 s = 1 s + 1 s", Result.Status.OK, check(0, 2, 1).execute().getStatus());
    }

    static SweepScheduleConfig config(int lateAfterSeconds) {
        return new SweepScheduleConfig() {
            @Override
            public int lateAfterSeconds() {
                return lateAfterSeconds;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SweepScheduleConfig.class;
            }
        };
    }
}
