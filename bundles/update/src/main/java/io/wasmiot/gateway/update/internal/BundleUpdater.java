package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.lib.threads.NamedThreadFactory;

/**
 * The update service: stages an uploaded jar (bounded, hashed, checked against the expected SHA-256
 * and the target's symbolic name), keeps the running jar for a rollback, journals the step, applies
 * and gates it ({@link GatedApply}) and journals the outcome. One update at a time. At activation,
 * an update the journal shows applied but undecided (a kill -9 or a stop during its window) is
 * rolled back to its kept jar, on a thread of its own.
 */
@Component(service = BundleUpdater.class, configurationPid = UpdateConfig.PID)
@Designate(ocd = UpdateConfig.class)
public class BundleUpdater {
    private static final Logger LOG = LoggerFactory.getLogger(BundleUpdater.class);
    static final String PREVIOUS_JAR = "previous.jar";

    private final BundleContext context;
    private final Path folder;
    private final UpdateJournal journal;
    private final RunningJars runningJars;
    private final GatedApply gate;
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ThreadPoolExecutor recovery;
    private volatile UpdateSettings settings;

    @Activate
    public BundleUpdater(BundleContext context, UpdateConfig config, @Reference GateObserver observer) {
        this.context = context;
        this.settings = UpdateSettings.of(config, configFolder(context), LOG::warn);
        String data = context.getProperty("wasmiot.data.dir");
        this.folder = Path.of(data == null || data.isBlank() ? "data" : data, "updates").toAbsolutePath();
        this.journal = new UpdateJournal(folder.resolve("journal.jsonl"), () -> settings.journalMaxBytes());
        this.runningJars = new RunningJars(context.getDataFile(""));
        this.gate = new GatedApply(context, observer, stopping);
        this.recovery = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                NamedThreadFactory.single("wasmiot-update-recovery"));
        recovery.allowCoreThreadTimeOut(true); // one task at activation: no thread kept afterwards
        recovery.execute(this::rollBackInterrupted);
        LOG.info("Update service started: {}; journal {}", settings, journal.file());
    }

    private static Path configFolder(BundleContext context) {
        String conf = context.getProperty("felix.fileinstall.dir");
        return Path.of(conf == null || conf.isBlank() ? "conf" : conf);
    }

    @Modified
    void modified(UpdateConfig config) {
        settings = UpdateSettings.of(config, configFolder(context), LOG::warn);
        LOG.info("Update service reconfigured: {}", settings);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopping.countDown(); // an update in its window stops waiting: undecided, rolled back at the next start
        recovery.shutdownNow();
        if (!recovery.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("Update service: the rollback of an interrupted update is still running after 10 s");
        }
    }

    UpdateSettings settings() {
        return settings;
    }

    RunningJars runningJars() {
        return runningJars;
    }

    List<JournalEntry> journal() throws IOException {
        return journal.entries();
    }

    /**
     * Installs or updates a bundle from {@code jar} and gates it.
     *
     * @param target the symbolic name of the bundle to update; empty or {@code null} to install a new one
     * @return the journal's last entry of this update (committed, rolled back, or undecided when the
     *         service stopped during the window)
     * @throws UpdateRefused when nothing was changed (journaled too)
     */
    JournalEntry update(String target, InputStream jar, String expectedSha256, String who)
            throws UpdateRefused, IOException {
        String id = newId();
        String wanted = target == null ? "" : target.strip();
        Path staging = folder.resolve(id);
        try {
            if (!oneAtATime.tryLock(1, TimeUnit.SECONDS)) {
                throw refused(id, who, wanted, hexOrNull(expectedSha256), new UpdateRefused(UpdateRefused.Kind.BUSY,
                        "another update is running (one at a time)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the update lock", e);
        }
        boolean keepStaging = false; // from the APPLYING line until the outcome's: the rollback needs previous.jar
        try {
            UpdateSettings current = settings;
            StagedJar staged;
            try {
                staged = JarStaging.stage(jar, staging.resolve("new.jar"), current.maxJarBytes(), expectedSha256);
            } catch (UpdateRefused e) {
                throw refused(id, who, wanted, hexOrNull(expectedSha256), e);
            }
            LOG.info("Update {} by {}: staged {} {} ({} bytes, SHA-256 {})", id, who, staged.symbolicName(),
                    staged.version(), staged.size(), staged.sha256());
            Bundle bundle;
            try {
                checkSignature(staged, current);
                bundle = UpdateTargets.choose(context, wanted, staged);
            } catch (UpdateRefused e) {
                throw refused(id, who, staged.symbolicName(), staged.sha256(), e);
            }
            GatedApply.Outcome outcome;
            JournalEntry applying;
            if (bundle == null) {
                applying = entry(id, JournalEntry.Step.APPLYING, who, staged.symbolicName(), null, null,
                        staged.version(), staged.sha256(), "install");
                keepStaging = true;
                journal.append(applying);
                LOG.info("Update {}: installing {} {}, gate {} s", id, staged.symbolicName(), staged.version(),
                        current.gate().toSeconds());
                outcome = gate.install(id, staged, current);
            } else {
                Path previous = staging.resolve(PREVIOUS_JAR);
                String oldSha256;
                try {
                    oldSha256 = keepPrevious(bundle, previous, staged);
                } catch (UpdateRefused e) {
                    throw refused(id, who, staged.symbolicName(), staged.sha256(), e);
                }
                applying = entry(id, JournalEntry.Step.APPLYING, who, staged.symbolicName(),
                        bundle.getVersion().toString(), oldSha256, staged.version(), staged.sha256(), "update");
                keepStaging = true;
                journal.append(applying);
                LOG.info("Update {}: applying {} {} -> {}, gate {} s", id, staged.symbolicName(),
                        bundle.getVersion(), staged.version(), current.gate().toSeconds());
                outcome = gate.update(id, bundle, staged, previous, current);
                runningJars.forget(bundle);
            }
            if (outcome.interrupted()) {
                LOG.warn("Update {} of {}: the update service stopped during the gate window; the update is "
                        + "rolled back when the service starts again", id, staged.symbolicName());
                return applying.next(now(), JournalEntry.Step.APPLYING,
                        "the update service stopped during the gate window: rolled back at its next start", null);
            }
            JournalEntry last = applying.next(now(), outcome.step(), outcome.reason(), outcome.decisionMillis());
            journal.append(last);
            keepStaging = false;
            log(last);
            return last;
        } finally {
            if (!keepStaging) {
                deleteTree(staging);
            }
            oneAtATime.unlock();
        }
    }

    /** With a trust store configured, the jar must be signed by it (read at each update: a new file counts at once). */
    private static void checkSignature(StagedJar staged, UpdateSettings settings) throws UpdateRefused {
        if (settings.trustStore() == null) {
            return;
        }
        JarSignatures signatures;
        try {
            signatures = JarSignatures.trusting(settings.trustStore(), settings.trustStorePassword().toCharArray());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new UpdateRefused(UpdateRefused.Kind.MISCONFIGURED, "the trust store " + settings.trustStore()
                    + " cannot be read: " + e.getMessage());
        }
        signatures.verify(staged.file());
    }

    /** Copies the jar {@code bundle} runs from into {@code previous}: its SHA-256, or a refusal without one. */
    private String keepPrevious(Bundle bundle, Path previous, StagedJar staged) throws UpdateRefused, IOException {
        Optional<Path> running = runningJars.jarOf(bundle);
        if (running.isEmpty()) {
            throw new UpdateRefused(UpdateRefused.Kind.CONFLICT, "the jar " + bundle.getSymbolicName()
                    + " runs from is not in the framework's bundle cache: no way back, so no update");
        }
        Files.copy(running.get(), previous, StandardCopyOption.REPLACE_EXISTING);
        String sha256 = JarStaging.sha256Of(previous);
        if (sha256.equals(staged.sha256())) {
            throw new UpdateRefused(UpdateRefused.Kind.CONFLICT,
                    "this jar (SHA-256 " + sha256 + ") is the one " + bundle.getSymbolicName() + " runs already");
        }
        return sha256;
    }

    /** Rolls back every update the journal shows applied but undecided (runs once, at activation). */
    private void rollBackInterrupted() {
        oneAtATime.lock();
        try {
            for (JournalEntry interrupted : journal.interrupted()) {
                JournalEntry last = UpdateRecovery.rollBack(context, runningJars, interrupted,
                        folder.resolve(interrupted.update()), now());
                journal.append(last);
                log(last);
                deleteTree(folder.resolve(interrupted.update()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Update service: the rollback of interrupted updates failed (journal {}): {}", journal.file(),
                    e.toString());
        } finally {
            oneAtATime.unlock();
        }
    }

    private UpdateRefused refused(String id, String who, String bundle, String sha256, UpdateRefused refusal)
            throws IOException {
        journal.append(entry(id, JournalEntry.Step.REFUSED, who, bundle.isEmpty() ? null : bundle, null, null, null,
                sha256, refusal.getMessage()));
        LOG.warn("Update {} by {} of {} refused, nothing changed: {}", id, who, bundle.isEmpty() ? "(new)" : bundle,
                refusal.getMessage());
        return refusal;
    }

    private static JournalEntry entry(String id, JournalEntry.Step step, String who, String bundle, String oldVersion,
                                      String oldSha256, String newVersion, String newSha256, String reason) {
        return new JournalEntry(now(), id, step, who, bundle, oldVersion, oldSha256, newVersion, newSha256, reason, null);
    }

    private static void log(JournalEntry last) {
        switch (last.step()) {
            case COMMITTED -> LOG.info("Update {} of {}: committed {} (SHA-256 {}) after {} ms", last.update(),
                    last.bundle(), last.newVersion(), last.newSha256(), last.decisionMillis());
            case ROLLED_BACK -> LOG.warn("Update {} of {}: rolled back to {} (SHA-256 {}){}: {}", last.update(),
                    last.bundle(), last.oldVersion(), last.oldSha256(),
                    last.decisionMillis() == null ? " at the service's start" : " after " + last.decisionMillis() + " ms",
                    last.reason());
            default -> LOG.error("Update {} of {}: {}: {}", last.update(), last.bundle(), last.step(), last.reason());
        }
    }

    /** The caller's expected hash for the journal, when it is one (never an arbitrary string). */
    private static String hexOrNull(String sha256) {
        try {
            return JarStaging.normalizedSha256(sha256);
        } catch (UpdateRefused e) {
            return null;
        }
    }

    private static String now() {
        return Instant.now().toString();
    }

    private static String newId() {
        return Long.toString(System.currentTimeMillis(), 36) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Update service: {} not deleted: {}", dir, e.getMessage());
        }
    }
}
