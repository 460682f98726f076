package io.wasmiot.gateway.update.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.wasmiot.gateway.api.source.SessionActivity;

/**
 * What the health gate sees at one moment: the bundle's state ({@code org.osgi.framework.Bundle}
 * constants), the service types it registers, its components that failed to activate (name to the
 * failure) and those waiting for a reference, the readiness checks that are CRITICAL (or in error), the listed device names
 * ({@code null}: the list could not be read) and the discovery sources' open sessions ({@code null}: no core to ask).
 */
record GateSnapshot(int bundleState, Set<String> services, Map<String, String> failedComponents, Set<String> unsatisfiedComponents,
                    Set<String> criticalChecks, Set<String> deviceNames, List<SessionActivity> sourceSessions) {

    GateSnapshot(int bundleState, Set<String> services, Map<String, String> failedComponents, Set<String> unsatisfiedComponents,
            Set<String> criticalChecks, Set<String> deviceNames) {
        this(bundleState, services, failedComponents, unsatisfiedComponents, criticalChecks, deviceNames, null);
    }

    GateSnapshot {
        services = Set.copyOf(services);
        failedComponents = Map.copyOf(failedComponents);
        unsatisfiedComponents = Set.copyOf(unsatisfiedComponents);
        criticalChecks = Set.copyOf(criticalChecks);
        deviceNames = deviceNames == null ? null : Set.copyOf(deviceNames);
        sourceSessions = sourceSessions == null ? null : List.copyOf(sourceSessions);
    }
}
