package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One update's apply, health gate and, when the gate fails, rollback: {@code Bundle.update} of that
 * one bundle (no refresh of any other), or an install for a new bundle; then the gate window, every
 * {@value #LOOK_MILLIS} ms a look for what fails at once, and the verdict at its end
 * ({@link GateJudge}). A rollback updates the bundle with the previous jar (a new bundle is
 * uninstalled).
 */
final class GatedApply {
    private static final Logger LOG = LoggerFactory.getLogger(GatedApply.class);
    static final long LOOK_MILLIS = 250;
    static final String NEW_LOCATION_PREFIX = "wasmiot-update:";

    /** How an applied update ended; {@code interrupted}: the service stopped during the window, undecided. */
    record Outcome(JournalEntry.Step step, String reason, long decisionMillis, boolean interrupted) {
    }

    private final BundleContext context;
    private final GateObserver observer;
    private final CountDownLatch stopping;

    GatedApply(BundleContext context, GateObserver observer, CountDownLatch stopping) {
        this.context = context;
        this.observer = observer;
        this.stopping = stopping;
    }

    /** Updates {@code bundle} to {@code staged}; {@code previous} is the jar it ran, kept for the rollback. */
    Outcome update(String id, Bundle bundle, StagedJar staged, Path previous, UpdateSettings settings) {
        GateSnapshot before = observer.observe(bundle);
        long start = System.nanoTime();
        Optional<String> failure;
        try (InputStream in = Files.newInputStream(staged.file())) {
            bundle.update(in);
            failure = startIfNeeded(bundle);
        } catch (BundleException | IOException | IllegalStateException e) {
            failure = Optional.of("Bundle.update failed: " + e.getMessage());
        }
        return decide(id, bundle, staged, before, settings, start, failure,
                () -> restore(bundle, previous).map(why -> "rollback failed: " + why));
    }

    /** Installs and starts a bundle that is not there yet; a failed gate uninstalls it. */
    Outcome install(String id, StagedJar staged, UpdateSettings settings) {
        GateSnapshot before = observer.observe(null);
        long start = System.nanoTime();
        Bundle installed;
        try (InputStream in = Files.newInputStream(staged.file())) {
            installed = context.installBundle(NEW_LOCATION_PREFIX + staged.symbolicName(), in);
        } catch (BundleException | IOException e) {
            return new Outcome(JournalEntry.Step.ROLLED_BACK, "the install failed: " + e.getMessage(), millisSince(start),
                    false);
        }
        Bundle bundle = installed;
        return decide(id, bundle, staged, before, settings, start, startIfNeeded(bundle), () -> {
            try {
                bundle.uninstall();
                return Optional.empty();
            } catch (BundleException | IllegalStateException e) {
                return Optional.of("uninstall failed: " + e.getMessage());
            }
        });
    }

    /**
     * After the apply: the gate (unless the apply already failed), then commit, or {@code undo}
     * (empty when it worked, else why not).
     */
    private Outcome decide(String id, Bundle bundle, StagedJar staged, GateSnapshot before, UpdateSettings settings,
                           long start, Optional<String> applyFailure, Supplier<Optional<String>> undo) {
        Optional<String> failure = applyFailure;
        if (failure.isEmpty()) {
            failure = watch(bundle, before, settings);
            if (failure == null) {
                return new Outcome(JournalEntry.Step.APPLYING, "interrupted", millisSince(start), true);
            }
        }
        long decided = millisSince(start);
        if (failure.isEmpty()) {
            return new Outcome(JournalEntry.Step.COMMITTED, null, decided, false);
        }
        String reason = failure.get();
        LOG.warn("Update {} of {}: the health gate failed after {} ms ({}); undoing it", id, staged.symbolicName(),
                decided, reason);
        return undo.get()
                .map(why -> new Outcome(JournalEntry.Step.ROLLBACK_FAILED, reason + "; " + why, decided, false))
                .orElseGet(() -> new Outcome(JournalEntry.Step.ROLLED_BACK, reason, decided, false));
    }

    /** Puts {@code previous} back into {@code bundle} and starts it: empty when it runs again, else why not. */
    static Optional<String> restore(Bundle bundle, Path previous) {
        try (InputStream in = Files.newInputStream(previous)) {
            bundle.update(in);
        } catch (BundleException | IOException | IllegalStateException e) {
            return Optional.of("Bundle.update with the previous jar: " + e.getMessage());
        }
        return startIfNeeded(bundle);
    }

    /** Starts the bundle when the update left it stopped (a jar that does not resolve): the failure says why. */
    private static Optional<String> startIfNeeded(Bundle bundle) {
        if (bundle.getState() == Bundle.ACTIVE) {
            return Optional.empty();
        }
        try {
            bundle.start();
            return Optional.empty();
        } catch (BundleException | IllegalStateException e) {
            return Optional.of("the bundle does not start: " + e.getMessage());
        }
    }

    /** The window: a failure seen at once, or the verdict at its end; {@code null} when the service stops. */
    private Optional<String> watch(Bundle bundle, GateSnapshot before, UpdateSettings settings) {
        long end = System.nanoTime() + settings.gate().toNanos();
        try {
            while (System.nanoTime() < end) {
                Optional<String> failure = GateJudge.immediateFailure(observer.observeBundle(bundle));
                if (failure.isPresent()) {
                    return failure;
                }
                long wait = Math.min(LOOK_MILLIS, Duration.ofNanos(end - System.nanoTime()).toMillis());
                if (wait > 0 && stopping.await(wait, TimeUnit.MILLISECONDS)) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return GateJudge.verdict(before, observer.observe(bundle), settings.maxDevicesLost());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
