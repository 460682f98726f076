package io.wasmiot.gateway.standby.internal;

import java.util.List;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Stands in for the gateway's health checks while their bundle ({@code wasmiot.gateway.health}) is
 * away: Felix answers {@code 200} with no results when no check is registered, which a load balancer
 * would take for a ready gateway. This check is CRITICAL then, so {@code /system/health} says
 * {@code 503} until the gateway's checks are back.
 */
@Component(service = HealthCheck.class, property = {
        HealthCheck.NAME + "=Gateway health checks present", HealthCheck.TAGS + "=readiness"})
public class GatewayChecksPresent implements HealthCheck {
    /** The service property every gateway health check carries. */
    static final String GATEWAY_CHECK = "wasmiot.gateway.check";

    /** Only how many there are: their service objects are never taken. */
    @Reference(service = HealthCheck.class, target = "(" + GATEWAY_CHECK + "=true)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ServiceReference<HealthCheck>> checks = List.of();

    @Override
    public Result execute() {
        int present = checks.size();
        return present == 0
                ? new Result(Result.Status.CRITICAL, "the gateway's health checks (bundle wasmiot.gateway.health) are not running")
                : new Result(Result.Status.OK, present + " gateway health checks registered");
    }
}
