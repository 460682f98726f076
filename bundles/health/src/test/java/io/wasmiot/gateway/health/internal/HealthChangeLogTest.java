package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckMetadata;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;

public class HealthChangeLogTest {

    private static HealthCheckExecutionResult result(String name, Result result) {
        Map<String, Object> properties = Map.of(HealthCheck.NAME, name, Constants.SERVICE_ID, 42L);
        ServiceReference<?> reference = (ServiceReference<?>) Proxy.newProxyInstance(HealthChangeLogTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> "getProperty".equals(method.getName()) ? properties.get((String) args[0]) : null);
        HealthCheckMetadata metadata = new HealthCheckMetadata(reference);
        return new HealthCheckExecutionResult() {
            @Override
            public Result getHealthCheckResult() {
                return result;
            }

            @Override
            public long getElapsedTimeInMs() {
                return 3;
            }

            @Override
            public Date getFinishedAt() {
                return new Date();
            }

            @Override
            public boolean hasTimedOut() {
                return false;
            }

            @Override
            public HealthCheckMetadata getHealthCheckMetadata() {
                return metadata;
            }
        };
    }

    private static Event event(String topic, Result.Status status, Result.Status previous, HealthCheckExecutionResult result) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("status", status);
        if (previous != null) {
            properties.put("previousStatus", previous);
        }
        properties.put("executionResult", result);
        return new Event(topic, properties);
    }

    @Test
    public void aStatusChangeBecomesOneLineWithTheChecksNameStatusesAndMessages() {
        FormattingResultLog log = new FormattingResultLog();
        log.critical("the store did not answer in {} ms", 2000);
        log.info("jdbc:h2:data/devices");
        HealthCheckExecutionResult critical = result("Store answers", new Result(log));
        assertEquals(Optional.of("Health check 'Store answers': CRITICAL (was OK): the store did not answer in 2000 ms; "
                        + "jdbc:h2:data/devices"),
                HealthChangeLog.line(event("org/apache/felix/health/name/Store_answers/STATUS_CHANGED",
                        Result.Status.CRITICAL, Result.Status.OK, critical)));
        assertEquals("the first status has no previous one",
                Optional.of("Health check 'Store answers': CRITICAL: the store did not answer in 2000 ms; jdbc:h2:data/devices"),
                HealthChangeLog.line(event("org/apache/felix/health/name/Store_answers/STATUS_CHANGED",
                        Result.Status.CRITICAL, null, critical)));
    }

    @Test
    public void theComponentTopicsTwinAndOtherEventsAreNotLogged() {
        HealthCheckExecutionResult ok = result("Store answers", new Result(Result.Status.OK, "fine"));
        assertEquals(Optional.empty(), HealthChangeLog.line(event(
                "org/apache/felix/health/component/io/wasmiot/gateway/health/internal/StoreCheck/STATUS_CHANGED",
                Result.Status.OK, Result.Status.CRITICAL, ok)));
        assertEquals(Optional.empty(), HealthChangeLog.line(event("org/apache/felix/health/name/Store_answers/UPDATED",
                Result.Status.OK, null, ok)));
        assertEquals(Optional.empty(), HealthChangeLog.line(new Event("org/apache/felix/health/name/x/STATUS_CHANGED",
                Map.of("status", Result.Status.OK))));
    }
}
