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

    @Test
    public void executeReadsTheCoresGaugesAndItsConfiguredBound() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond((long) NOW), ZoneOffset.UTC);
        SweepScheduleCheck check = new SweepScheduleCheck(config(5), clock);
        check.metrics = List.of(new Metrics().gauge(SweepScheduleCheck.STARTED, NOW - 7)
                .gauge(SweepScheduleCheck.INTERVAL, 1));
        assertEquals("7 s > 1 s + 5 s", Result.Status.CRITICAL, check.execute().getStatus());
        check.metrics = List.of(new Metrics().gauge(SweepScheduleCheck.STARTED, NOW - 6)
                .gauge(SweepScheduleCheck.INTERVAL, 1));
        assertEquals(Result.Status.OK, check.execute().getStatus());
        check.metrics = List.of();
        assertEquals(Result.Status.CRITICAL, check.execute().getStatus());
    }

    @Test
    public void aBoundOutOfRangeIsSetToTheNearestBound() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond((long) NOW), ZoneOffset.UTC);
        SweepScheduleCheck check = new SweepScheduleCheck(config(0), clock);
        check.metrics = List.of(new Metrics().gauge(SweepScheduleCheck.STARTED, NOW - 3)
                .gauge(SweepScheduleCheck.INTERVAL, 1));
        assertEquals("a bound of 0 counts as 1: 3 s > 1 s + 1 s", Result.Status.CRITICAL, check.execute().getStatus());
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
