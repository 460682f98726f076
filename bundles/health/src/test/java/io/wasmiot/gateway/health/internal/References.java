package io.wasmiot.gateway.health.internal;

import java.lang.reflect.Proxy;

import org.osgi.framework.ServiceReference;

/** Service references for tests that only count them: any call on one is a test error. */
final class References {
    private References() {
    }

    @SuppressWarnings("unchecked")
    static <S> ServiceReference<S> any() {
        return (ServiceReference<S>) Proxy.newProxyInstance(References.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
