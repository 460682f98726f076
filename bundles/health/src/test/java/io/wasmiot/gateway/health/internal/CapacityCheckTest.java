package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.OptionalDouble;

import org.apache.felix.hc.api.Result;
import org.junit.Test;

public class CapacityCheckTest {
    private static Result.Status judge(double devices, double max) {
        return CapacityCheck.judge(OptionalDouble.of(devices), OptionalDouble.of(max), 0.9).getStatus();
    }

    @Test
    public void belowTheWarnShareIsOkNearItWarnAndAtMaxDevicesCritical() {
        assertEquals(Result.Status.OK, judge(0, 100));
        assertEquals(Result.Status.OK, judge(89, 100));
        assertEquals(Result.Status.WARN, judge(90, 100));
        assertEquals(Result.Status.WARN, judge(99, 100));
        assertEquals(Result.Status.CRITICAL, judge(100, 100));
        assertEquals(Result.Status.CRITICAL, judge(101, 100));
    }

    @Test
    public void noFiguresIsAWarningNotAVerdict() {
        assertEquals(Result.Status.WARN, CapacityCheck.judge(OptionalDouble.empty(), OptionalDouble.empty(), 0.9).getStatus());
    }

    @Test
    public void executeCountsDevicesInEveryStateAgainstTheCoresMaximum() {
        CapacityCheck check = new CapacityCheck(config(0.5));
        Metrics core = new Metrics().devices("active", 2).devices("inactive", 1).devices("introducing", 1)
                .devices("leaving", 0).gauge(CapacityCheck.MAX, 5);
        check.metrics = List.of(core);
        Result result = check.execute();
        assertEquals("4 of 5 is past half", Result.Status.WARN, result.getStatus());
        assertTrue(result.toString(), result.toString().contains("4 of at most 5 devices"));
        check.metrics = List.of(core.devices("active", 1));
        assertEquals(Result.Status.CRITICAL, check.execute().getStatus());
    }

    static CapacityConfig config(double warnShare) {
        return new CapacityConfig() {
            @Override
            public double warnShare() {
                return warnShare;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return CapacityConfig.class;
            }
        };
    }
}
