package io.wasmiot.gateway.health.internal;

import java.util.List;
import java.util.OptionalDouble;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.metrics.MetricsProvider;

/**
 * The prober is not failing wholesale: the share of failed checks in the last finished sweep stays
 * below the thresholds, and while devices are listed a prober is there to check them. Most devices
 * failing at once points at the gateway's own network or its prober, not at the devices.
 */
@Component(service = HealthCheck.class, configurationPid = ProberConfig.PID, property = {
        Tags.GATEWAY_CHECK + ":Boolean=true", HealthCheck.NAME + "=Prober not failing wholesale",
        HealthCheck.TAGS + "=" + Tags.DISCOVERY, HealthCheck.TAGS + "=" + Tags.READINESS})
@Designate(ocd = ProberConfig.class)
public class ProberCheck implements HealthCheck {
    static final String CHECKED = "wasmiot_health_sweep_checked";
    static final String FAILED = "wasmiot_health_sweep_failed";
    static final String DEVICES = "wasmiot_devices";

    /** The configuration with every value in range. */
    record Thresholds(double warnFailedShare, double criticalFailedShare, int minimumChecks) {
        static Thresholds of(ProberConfig config) {
            double critical = Bounds.within(ProberConfig.PID, "criticalFailedShare", config.criticalFailedShare(), 0, 1);
            double warn = Bounds.within(ProberConfig.PID, "warnFailedShare", config.warnFailedShare(), 0, critical);
            return new Thresholds(warn, critical,
                    Bounds.within(ProberConfig.PID, "minimumChecks", config.minimumChecks(), 1, 1_000_000));
        }
    }

    private final Thresholds thresholds;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<MetricsProvider> metrics = List.of();

    /** Only whether a prober is there: its service object is never taken. */
    @Reference(service = DeviceProber.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ServiceReference<DeviceProber>> probers = List.of();

    @Activate
    public ProberCheck(ProberConfig config) {
        this.thresholds = Thresholds.of(config);
    }

    @Override
    public Result execute() {
        GatewayMetrics now = GatewayMetrics.of(metrics);
        return judge(!probers.isEmpty(), now.sum(DEVICES), now.value(CHECKED), now.value(FAILED), thresholds);
    }

    static Result judge(boolean proberPresent, OptionalDouble devices, OptionalDouble checked, OptionalDouble failed,
                        Thresholds thresholds) {
        if (devices.isEmpty() || checked.isEmpty() || failed.isEmpty()) {
            // the sweep check says CRITICAL for this; here there is nothing to judge
            return new Result(Result.Status.WARN, "no sweep figures: the discovery core is not running");
        }
        if (!proberPresent) {
            return devices.getAsDouble() > 0
                    ? new Result(Result.Status.CRITICAL, String.format("no device prober: %.0f device(s) are not checked",
                            devices.getAsDouble()))
                    : new Result(Result.Status.WARN, "no device prober (no devices to check yet)");
        }
        long checks = Math.round(checked.getAsDouble());
        long failures = Math.round(failed.getAsDouble());
        if (checks < thresholds.minimumChecks()) {
            return new Result(Result.Status.OK, String.format("%d of %d check(s) failed in the last sweep; fewer than %d "
                    + "checks are not judged", failures, checks, thresholds.minimumChecks()));
        }
        double share = (double) failures / checks;
        String figures = String.format("%d of %d checks failed in the last sweep (%.0f %%)", failures, checks, share * 100);
        if (share >= thresholds.criticalFailedShare()) {
            return new Result(Result.Status.CRITICAL, figures + "; CRITICAL from "
                    + percent(thresholds.criticalFailedShare()) + ": the gateway's network or prober is the likely fault");
        }
        if (share >= thresholds.warnFailedShare()) {
            return new Result(Result.Status.WARN, figures + "; WARN from " + percent(thresholds.warnFailedShare()));
        }
        return new Result(Result.Status.OK, figures);
    }

    private static String percent(double share) {
        return String.format("%.0f %%", share * 100);
    }
}
