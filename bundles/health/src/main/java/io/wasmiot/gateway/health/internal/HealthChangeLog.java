package io.wasmiot.gateway.health.internal;

import java.util.Optional;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.event.propertytypes.EventTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each health check's status change that the Felix HC monitor posts (one event per check, per
 * change): {@code Health check 'Store answers': CRITICAL (was OK): the store did not answer ...}. A
 * change to OK is INFO, any other WARN. The monitor posts a second event per change under the
 * check's component name; only the one under the check's name is logged.
 */
@Component(service = EventHandler.class)
@EventTopics(HealthChangeLog.TOPICS)
public class HealthChangeLog implements EventHandler {
    static final String TOPICS = "org/apache/felix/health/*";
    private static final Logger LOG = LoggerFactory.getLogger(HealthChangeLog.class);

    @Override
    public void handleEvent(Event event) {
        line(event).ifPresent(line -> {
            if (Result.Status.OK == event.getProperty("status")) {
                LOG.info(line);
            } else {
                LOG.warn(line);
            }
        });
    }

    /** The line for a check's status change; empty for the monitor's other events. */
    static Optional<String> line(Event event) {
        if (!event.getTopic().endsWith("/STATUS_CHANGED") || event.getTopic().contains("/component/")
                || !(event.getProperty("executionResult") instanceof HealthCheckExecutionResult result)) {
            return Optional.empty();
        }
        Object previous = event.getProperty("previousStatus");
        return Optional.of("Health check '" + result.getHealthCheckMetadata().getName() + "': "
                + event.getProperty("status") + (previous == null ? "" : " (was " + previous + ")") + ": "
                + messages(result));
    }

    private static String messages(HealthCheckExecutionResult result) {
        StringBuilder text = new StringBuilder();
        for (ResultLog.Entry entry : result.getHealthCheckResult()) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(entry.getMessage());
        }
        return text.toString();
    }
}
