package io.wasmiot.gateway.health.internal;

import java.time.Clock;
import java.util.List;
import java.util.OptionalDouble;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

import io.wasmiot.gateway.api.metrics.MetricsProvider;

/**
 * Sweeps run on schedule: the discovery core's last sweep started within its health interval plus a
 * bound. A core that is not running, or whose scheduler is stuck, is CRITICAL; this is the gateway's
 * liveness check (a restart is what helps).
 */
@Component(service = HealthCheck.class, configurationPid = SweepScheduleConfig.PID, property = {
        Tags.GATEWAY_CHECK + ":Boolean=true", HealthCheck.NAME + "=Sweeps on schedule",
        HealthCheck.TAGS + "=" + Tags.DISCOVERY, HealthCheck.TAGS + "=" + Tags.READINESS,
        HealthCheck.TAGS + "=" + Tags.LIVENESS})
@Designate(ocd = SweepScheduleConfig.class)
public class SweepScheduleCheck implements HealthCheck {
    static final String STARTED = "wasmiot_health_sweep_started_timestamp_seconds";
    static final String INTERVAL = "wasmiot_health_interval_seconds";

    private final int lateAfterSeconds;
    private final Clock clock;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<MetricsProvider> metrics = List.of();

    @Activate
    public SweepScheduleCheck(SweepScheduleConfig config) {
        this(config, Clock.systemUTC());
    }

    SweepScheduleCheck(SweepScheduleConfig config, Clock clock) {
        this.lateAfterSeconds = Bounds.within(SweepScheduleConfig.PID, "lateAfterSeconds", config.lateAfterSeconds(), 1, 3600);
        this.clock = clock;
    }

    @Override
    public Result execute() {
        GatewayMetrics now = GatewayMetrics.of(metrics);
        return judge(now.value(STARTED), now.value(INTERVAL), clock.millis() / 1e3, lateAfterSeconds);
    }

    static Result judge(OptionalDouble startedSeconds, OptionalDouble intervalSeconds, double nowSeconds,
                        int lateAfterSeconds) {
        if (startedSeconds.isEmpty() || intervalSeconds.isEmpty()) {
            return new Result(Result.Status.CRITICAL, "the discovery core is not running: no health sweeps");
        }
        if (startedSeconds.getAsDouble() <= 0) {
            return new Result(Result.Status.TEMPORARILY_UNAVAILABLE, "the discovery core has not started a sweep yet");
        }
        double interval = intervalSeconds.getAsDouble();
        long ago = Math.round(nowSeconds - startedSeconds.getAsDouble());
        if (ago > interval + lateAfterSeconds) {
            return new Result(Result.Status.CRITICAL, String.format("the last health sweep started %d s ago; one is due "
                    + "every %.0f s (late after %d s more)", ago, interval, lateAfterSeconds));
        }
        return new Result(Result.Status.OK, String.format("the last health sweep started %d s ago (every %.0f s)", ago,
                interval));
    }
}
