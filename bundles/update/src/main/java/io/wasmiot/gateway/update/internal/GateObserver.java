package io.wasmiot.gateway.update.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.source.DiscoverySourceActivity;
import io.wasmiot.gateway.api.source.SessionActivity;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/**
 * Takes the health gate's snapshots: a bundle's state, its services and its DS components (from SCR's DTOs), the
 * readiness checks (through the Felix HC executor, run now, not from its cache), the device list
 * (from the store) and the discovery sources' sessions (from the core). A service that is away gives
 * "unknown" where it matters: no executor, no checks judged; no store, no device list; no core, no sessions.
 */
@Component(service = GateObserver.class)
public class GateObserver {
    private static final Logger LOG = LoggerFactory.getLogger(GateObserver.class);
    static final String READINESS = "readiness";

    private final ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HealthCheckExecutor checks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DiscoverySourceActivity sources;

    @Activate
    public GateObserver(@Reference ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    /** A full snapshot; {@code bundle} {@code null} (a new install, before it): the gateway's checks and devices only. */
    GateSnapshot observe(Bundle bundle) {
        return observe(bundle, true);
    }

    /** The bundle and its components only (no checks run, no list read): the window's frequent look. */
    GateSnapshot observeBundle(Bundle bundle) {
        return observe(bundle, false);
    }

    private GateSnapshot observe(Bundle bundle, boolean full) {
        Map<String, String> failed = new HashMap<>();
        Set<String> unsatisfied = new HashSet<>();
        if (bundle != null && bundle.getState() == Bundle.ACTIVE) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        failed.put(description.name, String.valueOf(configuration.failure).lines().findFirst().orElse(""));
                    } else if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        unsatisfied.add(description.name);
                    }
                }
            }
        }
        return new GateSnapshot(bundle == null ? Bundle.ACTIVE : bundle.getState(), services(bundle), failed, unsatisfied,
                full ? criticalChecks() : Set.of(), full ? deviceNames() : null, full ? sourceSessions() : null);
    }

    /** The service types the bundle registers (a source registers its DiscoverySource, say). */
    private static Set<String> services(Bundle bundle) {
        Set<String> types = new HashSet<>();
        ServiceReference<?>[] registered = bundle == null ? null : bundle.getRegisteredServices();
        for (ServiceReference<?> reference : registered == null ? new ServiceReference<?>[0] : registered) {
            if (reference.getProperty(Constants.OBJECTCLASS) instanceof String[] objectClasses) {
                types.addAll(Arrays.asList(objectClasses));
            }
        }
        return types;
    }

    private Set<String> criticalChecks() {
        HealthCheckExecutor executor = checks;
        Set<String> critical = new HashSet<>();
        if (executor == null) {
            return critical;
        }
        for (HealthCheckExecutionResult result : executor.execute(HealthCheckSelector.tags(READINESS),
                new HealthCheckExecutionOptions().setForceInstantExecution(true))) {
            Result.Status status = result.getHealthCheckResult().getStatus();
            if (status == Result.Status.CRITICAL || status == Result.Status.HEALTH_CHECK_ERROR) {
                critical.add(result.getHealthCheckMetadata().getName());
            }
        }
        return critical;
    }

    private List<SessionActivity> sourceSessions() {
        DiscoverySourceActivity core = sources;
        return core == null ? null : core.openSessions();
    }

    private Set<String> deviceNames() {
        DeviceStore current = store;
        if (current == null) {
            return null;
        }
        try {
            Set<String> names = new HashSet<>();
            for (Device device : current.findAll()) {
                names.add(device.name());
            }
            return names;
        } catch (StoreException e) {
            LOG.warn("Update gate: the device list could not be read: {}", e.getMessage());
            return null;
        }
    }
}
