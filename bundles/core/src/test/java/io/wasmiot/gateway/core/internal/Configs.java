package io.wasmiot.gateway.core.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

import org.osgi.framework.BundleContext;

/** Annotation-typed configurations and a bundle context without a framework. */
final class Configs {
    private Configs() {
    }

    /** An instance of a configuration annotation: its default values, unless {@code overrides} names the key. */
    static <A extends Annotation> A config(Class<A> type, Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no key " + key);
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + overrides;
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    break;
            }
            if (overrides.containsKey(method.getName())) {
                return overrides.get(method.getName());
            }
            Object value = method.getDefaultValue();
            if (value == null) {
                throw new IllegalStateException(type.getSimpleName() + "." + method.getName() + " has no default");
            }
            return value;
        });
        return type.cast(proxy);
    }

    /** A bundle context whose {@code getProperty} answers {@code null}; anything else is a test error. */
    static BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return null;
                        case "toString":
                            return "test BundleContext";
                        case "hashCode":
                            return System.identityHashCode(self);
                        case "equals":
                            return self == args[0];
                        default:
                            throw new UnsupportedOperationException("BundleContext." + method.getName() + " in a unit test");
                    }
                });
    }
}
