package io.wasmiot.gateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Copies of the gateway's run bundles with manifest headers changed: what an operator installs in the tests. */
final class BundleJars {
    private BundleJars() {
    }

    /** The run bundle {@code symbolicName}'s jar. */
    static Path runBundle(String symbolicName) throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("wasmiot.runbundles.dir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith(symbolicName + "-")).findFirst().orElseThrow();
        }
    }

    /** A copy of {@code original} as {@code dir/name} with {@code headers} set in its manifest. */
    static Path copyWith(Path original, Path dir, String name, Map<String, String> headers) throws IOException {
        Path copy = Files.createDirectories(dir).resolve(name);
        try (JarInputStream in = new JarInputStream(Files.newInputStream(original))) {
            Manifest manifest = new Manifest(in.getManifest());
            headers.forEach((header, value) -> manifest.getMainAttributes().put(new Attributes.Name(header), value));
            try (OutputStream file = Files.newOutputStream(copy); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    /** The header's value in {@code jar}'s manifest. */
    static String header(Path jar, String header) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            return in.getManifest().getMainAttributes().getValue(header);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
