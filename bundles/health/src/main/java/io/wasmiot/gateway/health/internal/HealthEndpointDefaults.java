package io.wasmiot.gateway.health.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's defaults for Felix Health Checks, which start unconfigured (its servlet needs a
 * configuration to exist at all): {@code /system/health} in JSON only, {@code 503} for CRITICAL and
 * TEMPORARILY_UNAVAILABLE, the gateway's tags by default, a small executor pool for a 2-core
 * machine, and a monitor that runs the checks every 15 s and posts each check's status change as
 * an event ({@link HealthChangeLog} logs it: Felix HC 2.2.0's own logging of a per-check monitor
 * dereferences the state of a check that registered during the run). Only keys
 * that are missing are added: what the operator set (a {@code .cfg} file in {@code conf/}, the web
 * console) is never overwritten, and nothing is written once every key is there.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public class HealthEndpointDefaults implements ConfigurationListener {
    static final String SERVLET_FACTORY_PID = "org.apache.felix.hc.core.impl.servlet.HealthCheckExecutorServlet";
    /** The name of the factory configurations: {@code <factory pid>~wasmiot}, or {@code conf/<factory pid>-wasmiot.cfg}. */
    static final String CONFIGURATION_NAME = "wasmiot";
    static final String EXECUTOR_PID = "org.apache.felix.hc.core.impl.executor.HealthCheckExecutorImpl";
    static final String THREAD_POOL_PID = "org.apache.felix.hc.core.impl.executor.HealthCheckExecutorThreadPool";
    /** Runs the checks every 15 s and posts each check's status changes: {@code <factory pid>~wasmiot}. */
    static final String MONITOR_FACTORY_PID = "org.apache.felix.hc.core.impl.monitor.HealthCheckMonitor";
    static final String PATH = "/system/health";

    static final Map<String, Object> SERVLET = Map.of(
            "servletPath", PATH,
            "format", "json",
            "allowed.formats", new String[] {"json"},
            "httpStatusMapping", "OK:200,WARN:200,CRITICAL:503,TEMPORARILY_UNAVAILABLE:503,HEALTH_CHECK_ERROR:500",
            "cors.accessControlAllowOrigin", "");
    static final Map<String, Object> EXECUTOR = Map.of(
            "defaultTags", new String[] {Tags.READINESS, Tags.LIVENESS},
            "timeoutInMs", 2000L,
            "resultCacheTtlInMs", 2000L);
    static final Map<String, Object> THREAD_POOL = Map.of("threadPoolSize", 4);
    static final Map<String, Object> MONITOR = Map.of(
            "tags", new String[] {Tags.READINESS, Tags.LIVENESS},
            "isDynamic", true,
            "intervalInSec", 15L,
            "logResults", "NONE",
            "sendEvents", "STATUS_CHANGES",
            "registerHealthyMarkerService", false);

    /** The defaults by PID (a factory configuration's: {@code <factory pid>~wasmiot}). */
    static final Map<String, Map<String, Object>> BY_PID = Map.of(
            EXECUTOR_PID, EXECUTOR,
            THREAD_POOL_PID, THREAD_POOL,
            SERVLET_FACTORY_PID + "~" + CONFIGURATION_NAME, SERVLET,
            MONITOR_FACTORY_PID + "~" + CONFIGURATION_NAME, MONITOR);

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpointDefaults.class);

    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public HealthEndpointDefaults(@Reference ConfigurationAdmin configurationAdmin) throws IOException {
        this.configurationAdmin = configurationAdmin;
        complete(configurationAdmin.getConfiguration(EXECUTOR_PID, "?"), EXECUTOR);
        complete(configurationAdmin.getConfiguration(THREAD_POOL_PID, "?"), THREAD_POOL);
        complete(configurationAdmin.getFactoryConfiguration(SERVLET_FACTORY_PID, CONFIGURATION_NAME, "?"), SERVLET);
        complete(configurationAdmin.getFactoryConfiguration(MONITOR_FACTORY_PID, CONFIGURATION_NAME, "?"), MONITOR);
    }

    /**
     * A {@code .cfg} file replaces a whole configuration (FileInstall): the keys it leaves out are
     * added again, or the servlet would fall back to Felix's defaults (HTML) until the next start.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        Map<String, Object> defaults = BY_PID.get(event.getPid());
        if (event.getType() != ConfigurationEvent.CM_UPDATED || defaults == null) {
            return;
        }
        try {
            complete(configurationAdmin.getConfiguration(event.getPid(), "?"), defaults);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("Health checks: cannot complete {}: {}", event.getPid(), e.toString());
        }
    }

    /** Adds the missing keys of {@code defaults}; @return the keys added */
    static List<String> complete(Configuration configuration, Map<String, Object> defaults) throws IOException {
        Dictionary<String, Object> current = configuration.getProperties();
        Dictionary<String, Object> updated = current == null ? new Hashtable<>() : current;
        List<String> added = defaults.keySet().stream().filter(key -> updated.get(key) == null).sorted().toList();
        if (added.isEmpty()) {
            return added;
        }
        added.forEach(key -> updated.put(key, defaults.get(key)));
        configuration.update(updated);
        LOG.info("Health checks: default {} set for {}", added, configuration.getPid());
        return added;
    }
}
