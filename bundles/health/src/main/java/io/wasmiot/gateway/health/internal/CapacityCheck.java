package io.wasmiot.gateway.health.internal;

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
 * The gateway is below {@code maxDevices}: at it, register answers {@code 503} and new mDNS sightings
 * are skipped (SPEC §10), so a load balancer should send new devices to another gateway.
 */
@Component(service = HealthCheck.class, configurationPid = CapacityConfig.PID, property = {
        Tags.GATEWAY_CHECK + ":Boolean=true", HealthCheck.NAME + "=Below maxDevices",
        HealthCheck.TAGS + "=" + Tags.CAPACITY, HealthCheck.TAGS + "=" + Tags.READINESS})
@Designate(ocd = CapacityConfig.class)
public class CapacityCheck implements HealthCheck {
    static final String DEVICES = "wasmiot_devices";
    static final String MAX = "wasmiot_devices_max";

    private final double warnShare;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<MetricsProvider> metrics = List.of();

    @Activate
    public CapacityCheck(CapacityConfig config) {
        this.warnShare = Bounds.within(CapacityConfig.PID, "warnShare", config.warnShare(), 0.01, 1);
    }

    @Override
    public Result execute() {
        GatewayMetrics now = GatewayMetrics.of(metrics);
        return judge(now.sum(DEVICES), now.value(MAX), warnShare);
    }

    static Result judge(OptionalDouble devices, OptionalDouble max, double warnShare) {
        if (devices.isEmpty() || max.isEmpty() || max.getAsDouble() < 1) {
            return new Result(Result.Status.WARN, "no device figures: the discovery core is not running");
        }
        long known = Math.round(devices.getAsDouble());
        long limit = Math.round(max.getAsDouble());
        String figures = known + " of at most " + limit + " devices";
        if (known >= limit) {
            return new Result(Result.Status.CRITICAL, figures + ": new devices are refused");
        }
        if (known >= warnShare * limit) {
            return new Result(Result.Status.WARN, String.format("%s: WARN from %.0f %% of maxDevices", figures,
                    warnShare * 100));
        }
        return new Result(Result.Status.OK, figures);
    }
}
