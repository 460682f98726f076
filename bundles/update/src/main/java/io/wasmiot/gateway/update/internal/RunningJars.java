package io.wasmiot.gateway.update.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;

/**
 * The jar a bundle runs from, in Felix's bundle cache: {@code <storage>/bundle<id>/version<r>.<n>/bundle.jar},
 * the highest revision being the current one. It is the previous jar a rollback puts back and what
 * the inventory hashes (so its SHA-256 is the one {@code sha256sum} gives for the jar that was
 * installed). Felix-specific: with another framework, or a bundle installed by reference, there is
 * no such file and the update is refused (no way back) and the inventory shows no hash.
 */
final class RunningJars {
    private static final Pattern REVISION = Pattern.compile("version(\\d+)\\.(\\d+)");

    /** Hashes by bundle id, valid while the bundle's last-modified time is the one noted. */
    private record Hashed(long lastModified, String sha256) {
    }

    private final Path storage;
    private final Map<Long, Hashed> hashes = new ConcurrentHashMap<>();

    /** {@code ownDataFolder}: this bundle's {@code BundleContext.getDataFile("")}, {@code <storage>/bundle<id>/data}. */
    RunningJars(File ownDataFolder) {
        this.storage = ownDataFolder == null ? null : ownDataFolder.toPath().toAbsolutePath().getParent().getParent();
    }

    Optional<Path> jarOf(Bundle bundle) {
        if (storage == null) {
            return Optional.empty();
        }
        Path folder = storage.resolve("bundle" + bundle.getBundleId());
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> revisions = Files.list(folder)) {
            return revisions.filter(path -> REVISION.matcher(path.getFileName().toString()).matches())
                    .max(Comparator.comparingLong((Path path) -> revision(path, 1)).thenComparingLong(path -> revision(path, 2)))
                    .map(path -> path.resolve("bundle.jar"))
                    .filter(Files::isRegularFile);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SHA-256 of the jar the bundle runs from, or empty when it is not found. */
    Optional<String> sha256Of(Bundle bundle) {
        long lastModified = bundle.getLastModified();
        Hashed known = hashes.get(bundle.getBundleId());
        if (known != null && known.lastModified() == lastModified) {
            return Optional.of(known.sha256());
        }
        Optional<Path> jar = jarOf(bundle);
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try {
            String sha256 = JarStaging.sha256Of(jar.get());
            hashes.put(bundle.getBundleId(), new Hashed(lastModified, sha256));
            return Optional.of(sha256);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void forget(Bundle bundle) {
        hashes.remove(bundle.getBundleId());
    }

    private static long revision(Path path, int group) {
        Matcher matcher = REVISION.matcher(path.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(group)) : -1;
    }
}
