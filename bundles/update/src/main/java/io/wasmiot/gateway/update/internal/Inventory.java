package io.wasmiot.gateway.update.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** What runs: every bundle with its version, state, the SHA-256 of its jar and since when it is installed as it is. */
final class Inventory {
    /** One bundle; {@code sha256} is {@code null} when its jar is not in the bundle cache. */
    public record RunningBundle(long id, String symbolicName, String version, String state, String sha256,
                                String since, String location) {
    }

    private Inventory() {
    }

    static List<RunningBundle> of(BundleContext context, RunningJars jars) {
        List<RunningBundle> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            bundles.add(new RunningBundle(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                    GateJudge.stateName(bundle.getState()), jars.sha256Of(bundle).orElse(null),
                    Instant.ofEpochMilli(bundle.getLastModified()).toString(), bundle.getLocation()));
        }
        return bundles;
    }
}
