package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.OptionalDouble;

import org.apache.felix.hc.api.Result;
import org.junit.Test;

import io.wasmiot.gateway.api.DeviceProber;

public class ProberCheckTest {
    private static final ProberCheck.Thresholds DEFAULTS = new ProberCheck.Thresholds(0.5, 0.9, 4);

    private static Result judge(double checked, double failed) {
        return ProberCheck.judge(true, OptionalDouble.of(checked), OptionalDouble.of(checked), OptionalDouble.of(failed),
                DEFAULTS);
    }

    @Test
    public void theLastSweepsFailedShareDecides() {
        assertEquals(Result.Status.OK, judge(10, 4).getStatus());
        assertEquals(Result.Status.WARN, judge(10, 5).getStatus());
        assertEquals(Result.Status.WARN, judge(10, 8).getStatus());
        Result critical = judge(10, 9);
        assertEquals(Result.Status.CRITICAL, critical.getStatus());
        assertTrue(critical.toString(), critical.toString().contains("9 of 10 checks failed"));
    }

    @Test
    public void fewerChecksThanTheMinimumAreNotJudged() {
        assertEquals(Result.Status.OK, judge(3, 3).getStatus());
        assertEquals(Result.Status.CRITICAL, judge(4, 4).getStatus());
    }

    @Test
    public void noProberWhileDevicesAreListedIsCritical() {
        OptionalDouble none = OptionalDouble.of(0);
        assertEquals(Result.Status.CRITICAL,
                ProberCheck.judge(false, OptionalDouble.of(3), none, none, DEFAULTS).getStatus());
        assertEquals(Result.Status.WARN, ProberCheck.judge(false, none, none, none, DEFAULTS).getStatus());
        assertEquals("no core: nothing to judge", Result.Status.WARN, ProberCheck.judge(true, OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), DEFAULTS).getStatus());
    }

    @Test
    public void thresholdsAreKeptInRangeAndInOrder() {
        assertEquals(new ProberCheck.Thresholds(0.5, 0.9, 4), ProberCheck.Thresholds.of(config(0.5, 0.9, 4)));
        assertEquals("warn above critical is lowered to it", new ProberCheck.Thresholds(0.7, 0.7, 4),
                ProberCheck.Thresholds.of(config(0.8, 0.7, 4)));
        assertEquals(new ProberCheck.Thresholds(0, 1, 1), ProberCheck.Thresholds.of(config(-1, 3, 0)));
    }

    @Test
    public void executeReadsTheLastSweepAndWhetherAProberIsThere() {
        ProberCheck check = new ProberCheck(config(0.5, 0.9, 4));
        check.metrics = List.of(new Metrics().devices("active", 5).gauge(ProberCheck.CHECKED, 5)
                .gauge(ProberCheck.FAILED, 5));
        assertEquals("no prober, five devices", Result.Status.CRITICAL, check.execute().getStatus());
        check.probers = List.of(References.<DeviceProber>any());
        assertEquals("all five failed", Result.Status.CRITICAL, check.execute().getStatus());
        check.metrics = List.of(new Metrics().devices("active", 5).gauge(ProberCheck.CHECKED, 5)
                .gauge(ProberCheck.FAILED, 1));
        assertEquals(Result.Status.OK, check.execute().getStatus());
    }

    static ProberConfig config(double warn, double critical, int minimumChecks) {
        return new ProberConfig() {
            @Override
            public double warnFailedShare() {
                return warn;
            }

            @Override
            public double criticalFailedShare() {
                return critical;
            }

            @Override
            public int minimumChecks() {
                return minimumChecks;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ProberConfig.class;
            }
        };
    }
}
