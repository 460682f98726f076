package io.wasmiot.gateway.standby.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.junit.Test;
import org.osgi.framework.ServiceReference;

public class GatewayChecksPresentTest {
    @SuppressWarnings("unchecked")
    private static ServiceReference<HealthCheck> reference() {
        return (ServiceReference<HealthCheck>) Proxy.newProxyInstance(GatewayChecksPresentTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void criticalWithoutTheGatewaysChecksOkWithThem() {
        GatewayChecksPresent check = new GatewayChecksPresent();
        assertEquals(Result.Status.CRITICAL, check.execute().getStatus());
        check.checks = List.of(reference(), reference());
        Result result = check.execute();
        assertEquals(Result.Status.OK, result.getStatus());
        assertEquals(true, result.toString().contains("2 gateway health checks"));
    }
}
