package io.wasmiot.gateway.console.internal;

import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;

/**
 * Devices an operator registers by hand (the devices page's form, {@code wasmiot:register}), as a
 * discovery source. It shares the id {@code register} with the REST endpoint: to the core and in the
 * device document it is the same channel, a device registered on request. Nothing to replay: a
 * registered device is in the store.
 */
@Component(service = {DiscoverySource.class, HandRegistrations.class}, property = DiscoverySource.PUSH_PROPERTY + ":Boolean=true")
public class HandRegistrations implements DiscoverySource {
    private final AtomicReference<SourceSession> session = new AtomicReference<>();

    @Override
    public String id() {
        return "register";
    }

    @Override
    public void open(SourceSession newSession) {
        session.set(newSession);
    }

    @Override
    public void close(SourceSession oldSession) {
        session.compareAndSet(oldSession, null);
    }

    /** Whether a discovery core listens (the page says so before asking for a device). */
    boolean available() {
        return session.get() != null;
    }

    /**
     * @throws IllegalStateException the discovery core is not running
     * @throws IllegalArgumentException not a device name
     * @throws io.wasmiot.gateway.api.source.CapacityExceededException the gateway is full
     */
    void register(String name, Communication communication) {
        SourceSession current = session.get();
        if (current == null) {
            throw new IllegalStateException("the discovery core is not running");
        }
        current.sighted(name, communication);
    }
}
