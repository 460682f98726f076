package io.wasmiot.gateway.update.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/** Small bundle jars and stand-in bundles for the tests. */
final class TestJars {
    private TestJars() {
    }

    static byte[] bundleJar(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            main.putValue("Bundle-ManifestVersion", "2");
            main.putValue("Bundle-SymbolicName", symbolicName + ";singleton:=true");
            main.putValue("Bundle-Version", version);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("content.txt"));
            jar.write(("content of " + symbolicName + " " + version).getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bundle that records the jars it is updated with; state ACTIVE, id and last-modified as given. */
    static final class FakeBundle {
        final long id;
        final String symbolicName;
        final List<byte[]> updates = new ArrayList<>();
        volatile long lastModified = 1;
        volatile int state = Bundle.ACTIVE;
        /** Whether the jar it was last updated with resolves: one that does not leaves it INSTALLED. */
        volatile java.util.function.Predicate<byte[]> resolves = jar -> true;
        final Bundle proxy;

        private static final java.util.Map<Bundle, FakeBundle> BY_PROXY = new java.util.concurrent.ConcurrentHashMap<>();

        /** Records an install of {@code proxy}'s fake as its first update. */
        static void installed(Bundle proxy, InputStream jar) throws IOException {
            FakeBundle fake = BY_PROXY.get(proxy);
            fake.updates.add(jar.readAllBytes());
            fake.state = Bundle.INSTALLED;
        }

        FakeBundle(long id, String symbolicName) {
            this.id = id;
            this.symbolicName = symbolicName;
            this.proxy = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                    (self, method, args) -> switch (method.getName()) {
                        case "getBundleId" -> id;
                        case "getSymbolicName" -> symbolicName;
                        case "getLastModified" -> lastModified;
                        case "getState" -> state;
                        case "getVersion" -> Version.parseVersion("1.0.0");
                        case "adapt" -> null; // no wiring: nobody uses its packages
                        case "getRegisteredServices" -> null; // none
                        case "update" -> {
                            byte[] jar = ((InputStream) args[0]).readAllBytes();
                            updates.add(jar);
                            lastModified++;
                            state = resolves.test(jar) ? Bundle.ACTIVE : Bundle.INSTALLED;
                            yield null;
                        }
                        case "start" -> {
                            if (!resolves.test(updates.isEmpty() ? new byte[0] : updates.get(updates.size() - 1))) {
                                throw new org.osgi.framework.BundleException("Unable to resolve " + symbolicName);
                            }
                            state = Bundle.ACTIVE;
                            yield null;
                        }
                        case "uninstall" -> {
                            state = Bundle.UNINSTALLED;
                            yield null;
                        }
                        case "equals" -> self == args[0];
                        case "hashCode" -> System.identityHashCode(self);
                        case "toString" -> "FakeBundle " + symbolicName;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            BY_PROXY.put(proxy, this);
        }
    }

    /** A context that knows only {@code bundles}, the first being its own bundle. */
    static BundleContext context(Bundle... bundles) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (self, method, args) -> switch (method.getName()) {
                    case "getBundles" -> bundles;
                    case "getBundle" -> bundles[0];
                    case "installBundle" -> { // the last bundle given is what an install makes
                        FakeBundle.installed(bundles[bundles.length - 1], (InputStream) args[1]);
                        yield bundles[bundles.length - 1];
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
