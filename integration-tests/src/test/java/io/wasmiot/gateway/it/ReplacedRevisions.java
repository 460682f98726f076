package io.wasmiot.gateway.it;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The class loaders of replaced bundle revisions, as {@link SwapLeakIT} follows them: which are
 * still reachable, by bundle, and which threads hold one.
 */
final class ReplacedRevisions {
    private ReplacedRevisions() {
    }

    /**
     * Threads whose context class loader, or the protection domains they inherited when they were
     * created, belong to a bundle revision that is no longer current: a thread started while such a
     * revision's code was on the stack keeps that revision's class loader for as long as it lives.
     * Reading the inherited domains needs {@code --add-opens java.base/java.lang=ALL-UNNAMED
     * --add-opens java.base/java.security=ALL-UNNAMED}; without them only context loaders are shown.
     */
    static Map<String, List<String>> pinningThreads(BundleContext context) {
        java.util.Set<ClassLoader> current = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Bundle bundle : context.getBundles()) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring != null && wiring.getClassLoader() != null) {
                current.add(wiring.getClassLoader());
            }
        }
        Map<String, List<String>> pinning = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            List<ClassLoader> held = new java.util.ArrayList<>();
            held.add(thread.getContextClassLoader());
            try {
                java.lang.reflect.Field inherited = Thread.class.getDeclaredField("inheritedAccessControlContext");
                inherited.setAccessible(true);
                Object acc = inherited.get(thread);
                if (acc != null) {
                    java.lang.reflect.Field domains = java.security.AccessControlContext.class.getDeclaredField("context");
                    domains.setAccessible(true);
                    java.security.ProtectionDomain[] pds = (java.security.ProtectionDomain[]) domains.get(acc);
                    for (java.security.ProtectionDomain pd : pds == null ? new java.security.ProtectionDomain[0] : pds) {
                        held.add(pd.getClassLoader());
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not opened: context loaders only
            }
            for (ClassLoader loader : held) {
                if (loader != null && loader.getClass().getName().contains("BundleClassLoader") && !current.contains(loader)) {
                    pinning.computeIfAbsent(thread.getName(), name -> new java.util.ArrayList<>()).add(loader.toString());
                }
            }
        }
        return pinning;
    }

    /**
     * Every replaced revision but the newest of each bundle. A leak keeps every revision it meets, so
     * it shows among these; the newest replaced revision may still be held by a cache that its
     * successor has not yet displaced, which is bounded, not a leak: it is reported, not judged
     * (docs/notes-code.md).
     */
    static Map<WeakReference<ClassLoader>, String> olderThanNewest(Map<WeakReference<ClassLoader>, String> replaced) {
        Map<WeakReference<ClassLoader>, String> newest = newestOnly(replaced);
        Map<WeakReference<ClassLoader>, String> older = new java.util.LinkedHashMap<>(replaced);
        older.keySet().removeAll(newest.keySet());
        return older;
    }

    static Map<WeakReference<ClassLoader>, String> newestOnly(Map<WeakReference<ClassLoader>, String> replaced) {
        Map<String, WeakReference<ClassLoader>> last = new HashMap<>();
        replaced.forEach((ref, name) -> last.put(name, ref));
        Map<WeakReference<ClassLoader>, String> newest = new java.util.LinkedHashMap<>();
        last.forEach((name, ref) -> newest.put(ref, name));
        return newest;
    }

    /** By bundle, how many of the replaced revisions' class loaders are still reachable. */
    static Map<String, Integer> reachable(Map<WeakReference<ClassLoader>, String> replaced) {
        Map<String, Integer> reachable = new TreeMap<>();
        replaced.forEach((ref, name) -> {
            if (ref.get() != null) {
                reachable.merge(name, 1, Integer::sum);
            }
        });
        return reachable;
    }

    static ClassLoader classLoader(Bundle bundle) {
        return bundle.adapt(BundleWiring.class).getClassLoader();
    }
}
