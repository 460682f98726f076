package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Writes an uploaded jar to a staging file, hashing it on the way and stopping at the size bound,
 * then reads its bundle identity. Anything wrong (too large, another hash, not a bundle) is an
 * {@link UpdateRefused} and the staging file is deleted: nothing else was touched yet.
 */
final class JarStaging {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private JarStaging() {
    }

    /** {@code expected} as 64 lowercase hex digits, or a refusal saying what a SHA-256 looks like. */
    static String normalizedSha256(String expected) throws UpdateRefused {
        String hex = expected == null ? "" : expected.strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(hex).matches()) {
            throw new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST,
                    "the expected SHA-256 must be 64 hex digits (as sha256sum prints it), not '" + shown(expected) + "'");
        }
        return hex;
    }

    static StagedJar stage(InputStream upload, Path file, long maxBytes, String expectedSha256)
            throws UpdateRefused, IOException {
        String expected = normalizedSha256(expectedSha256);
        Files.createDirectories(file.getParent());
        MessageDigest digest = sha256();
        long size = 0;
        try (DigestInputStream in = new DigestInputStream(upload, digest); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[16 * 1024];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                size += read;
                if (size > maxBytes) {
                    throw new UpdateRefused(UpdateRefused.Kind.TOO_LARGE,
                            "the jar is larger than maxJarBytes (" + maxBytes + " bytes)");
                }
                out.write(buffer, 0, read);
            }
        } catch (UpdateRefused | IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            Files.deleteIfExists(file);
            throw new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST,
                    "SHA-256 mismatch: expected " + expected + ", the upload (" + size + " bytes) has " + actual);
        }
        try {
            return identify(file, actual, size);
        } catch (UpdateRefused e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The bundle identity in a staged jar's manifest; a jar without one is no bundle. */
    static StagedJar identify(Path file, String sha256, long size) throws UpdateRefused {
        Manifest manifest;
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            throw new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST, "not a jar: " + e.getMessage());
        }
        Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String name = main.getValue("Bundle-SymbolicName");
        if (name == null || name.isBlank() || !"2".equals(strip(main.getValue("Bundle-ManifestVersion")))) {
            throw new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST,
                    "not an OSGi bundle: the manifest has no Bundle-SymbolicName or no Bundle-ManifestVersion: 2");
        }
        String version = strip(main.getValue("Bundle-Version"));
        return new StagedJar(file, sha256, size, name.split(";", 2)[0].strip(), version.isEmpty() ? "0.0.0" : version);
    }

    static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
