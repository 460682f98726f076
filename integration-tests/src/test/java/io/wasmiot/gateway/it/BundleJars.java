package io.wasmiot.gateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Copies of the gateway's run bundles with manifest headers changed: what an operator installs in the tests. */
final class BundleJars {
    /** The message of the exception the test component throws in activate. */
    static final String THROWN = "thrown in activate on purpose (UpdateServiceIT)";
    private static final String THROWING_PACKAGE = "io.wasmiot.it.throwing";
    private static final String SILENT_PACKAGE = "io.wasmiot.it.silent";
    private BundleJars() {
    }

    /** The run bundle {@code symbolicName}'s jar. */
    static Path runBundle(String symbolicName) throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("wasmiot.runbundles.dir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith(symbolicName + "-")).findFirst().orElseThrow();
        }
    }

    /** A copy of {@code original} as {@code dir/name} with {@code headers} set in its manifest and {@code extra} entries added (or replacing those of the same name). */
    static Path copyWith(Path original, Path dir, String name, Map<String, String> headers, Map<String, byte[]> extra)
            throws IOException {
        Path copy = Files.createDirectories(dir).resolve(name);
        try (JarInputStream in = new JarInputStream(Files.newInputStream(original))) {
            Manifest manifest = new Manifest(in.getManifest());
            headers.forEach((header, value) -> manifest.getMainAttributes().put(new Attributes.Name(header), value));
            try (OutputStream file = Files.newOutputStream(copy); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    if (extra.containsKey(entry.getName())) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
                for (Map.Entry<String, byte[]> entry : extra.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    /**
     * A copy of {@code original} with one more DS component, immediate, whose {@code activate}
     * throws ({@link #THROWN}).
     */
    static Path withThrowingComponent(Path original, Path dir, String name, String version) throws IOException {
        return withComponent(original, dir, name, version, THROWING_PACKAGE, "ThrowingInActivate",
                "public class ThrowingInActivate {\n"
                        + "    public void activate() {\n"
                        + "        throw new IllegalStateException(\"" + THROWN + "\");\n"
                        + "    }\n"
                        + "}\n",
                " activate=\"activate\"", "", Map.of());
    }

    /**
     * A copy of the static source's jar that starts and discovers nothing: its {@code StaticSource}
     * component no longer provides {@code DiscoverySource} (it still runs, for the bundle's other
     * components), and a component that does, with the same id, never reports (no replay). The
     * bundle's service types stay the same.
     */
    static Path withSilentSource(Path original, Path dir, String name, String version, String sourceId)
            throws IOException {
        String provideSource = "<provide interface=\"io.wasmiot.gateway.api.source.DiscoverySource\"/>";
        String staticSource = "OSGI-INF/io.wasmiot.gateway.source.statics.internal.StaticSource.xml";
        String staticComponent;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(original.toFile())) {
            staticComponent = new String(jar.getInputStream(jar.getEntry(staticSource)).readAllBytes(), StandardCharsets.UTF_8);
        }
        String withoutProvide = staticComponent.replace(provideSource, "");
        if (withoutProvide.equals(staticComponent)) {
            throw new IllegalStateException("StaticSource's descriptor changed: " + staticComponent);
        }
        return withComponent(original, dir, name, version, SILENT_PACKAGE, "SilentSource",
                "import io.wasmiot.gateway.api.source.DiscoverySource;\n"
                        + "import io.wasmiot.gateway.api.source.SourceSession;\n"
                        + "public class SilentSource implements DiscoverySource {\n"
                        + "    public String id() { return \"" + sourceId + "\"; }\n"
                        + "    public void open(SourceSession session) { }\n"
                        + "    public void close(SourceSession session) { }\n"
                        + "}\n",
                "", "  <service>" + provideSource + "</service>\n",
                Map.of(staticSource, withoutProvide.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A copy of {@code original} with one more immediate DS component: class {@code simpleName} of
     * {@code javaPackage}, compiled here from {@code body} against the API jar with the JDK's compiler,
     * declared in the manifest's {@code Service-Component}; {@code attributes} and {@code elements}
     * go into its descriptor, {@code replaced} entries replace the original's.
     */
    private static Path withComponent(Path original, Path dir, String name, String version, String javaPackage,
            String simpleName, String body, String attributes, String elements, Map<String, byte[]> replaced)
            throws IOException {
        Path source = Files.createDirectories(dir.resolve(simpleName + "-src")).resolve(simpleName + ".java");
        Files.writeString(source, "package " + javaPackage + ";\n" + body);
        Path classes = Files.createDirectories(dir.resolve(simpleName + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, "-cp", runBundle("wasmiot.gateway.api").toString(),
                "-d", classes.toString(), source.toString()) != 0) {
            throw new IllegalStateException(simpleName + " did not compile (a JDK is needed, not a JRE)");
        }
        String className = javaPackage + "." + simpleName;
        String classFile = className.replace('.', '/') + ".class";
        String descriptor = "OSGI-INF/" + className + ".xml";
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + className
                + "\" immediate=\"true\"" + attributes + ">\n"
                + "  <implementation class=\"" + className + "\"/>\n"
                + elements
                + "</scr:component>\n";
        Map<String, byte[]> entries = new java.util.HashMap<>(replaced);
        entries.put(descriptor, component.getBytes(StandardCharsets.UTF_8));
        entries.put(classFile, Files.readAllBytes(classes.resolve(classFile)));
        return copyWith(original, dir, name, Map.of(
                        "Bundle-Version", version,
                        "Service-Component", header(original, "Service-Component") + "," + descriptor),
                entries);
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
