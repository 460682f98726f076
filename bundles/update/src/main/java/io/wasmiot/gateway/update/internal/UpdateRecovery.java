package io.wasmiot.gateway.update.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Rolls back an update that was applied and never decided (the gateway was killed, or the update
 * service stopped, during its gate window), so that the gateway runs the set of bundles it last
 * committed. Decides from what runs now: the new jar is replaced by the kept previous one; a
 * bundle that still runs the previous jar (killed before the change) is left as it is; a new
 * install is uninstalled.
 */
final class UpdateRecovery {
    static final String INTERRUPTED = "interrupted during the gate window (the gateway or the update service stopped)";

    private UpdateRecovery() {
    }

    static JournalEntry rollBack(BundleContext context, RunningJars jars, JournalEntry applying, Path staging, String now) {
        Bundle bundle = applying.bundle() == null ? null : UpdateTargets.find(context, applying.bundle());
        if (applying.oldSha256() == null) { // a new install
            if (bundle == null) {
                return applying.next(now, JournalEntry.Step.ROLLED_BACK, INTERRUPTED + "; it was never installed", null);
            }
            try {
                bundle.uninstall();
                return applying.next(now, JournalEntry.Step.ROLLED_BACK, INTERRUPTED + "; uninstalled", null);
            } catch (BundleException | IllegalStateException e) {
                return applying.next(now, JournalEntry.Step.ROLLBACK_FAILED, INTERRUPTED + "; uninstall failed: "
                        + e.getMessage(), null);
            }
        }
        if (bundle == null) {
            return applying.next(now, JournalEntry.Step.ROLLBACK_FAILED, INTERRUPTED + "; the bundle is no longer installed",
                    null);
        }
        jars.forget(bundle);
        Optional<String> running = jars.sha256Of(bundle);
        if (running.isPresent() && running.get().equals(applying.oldSha256())) {
            return applying.next(now, JournalEntry.Step.ROLLED_BACK, INTERRUPTED + "; the previous jar still runs", null);
        }
        Path previous = staging.resolve(BundleUpdater.PREVIOUS_JAR);
        if (!Files.isRegularFile(previous)) {
            return applying.next(now, JournalEntry.Step.ROLLBACK_FAILED, INTERRUPTED + "; the kept previous jar "
                    + previous + " is missing; running SHA-256 " + running.orElse("unknown"), null);
        }
        Optional<String> failure = GatedApply.restore(bundle, previous);
        jars.forget(bundle);
        return failure
                .map(why -> applying.next(now, JournalEntry.Step.ROLLBACK_FAILED, INTERRUPTED + "; " + why, null))
                .orElseGet(() -> applying.next(now, JournalEntry.Step.ROLLED_BACK, INTERRUPTED + "; previous jar restored",
                        null));
    }
}
