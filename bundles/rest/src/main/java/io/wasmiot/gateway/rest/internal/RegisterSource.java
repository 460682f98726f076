package io.wasmiot.gateway.rest.internal;

import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;

import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SourceSession;

/**
 * The register endpoint as a discovery source ({@code register}): devices push themselves, so it
 * has nothing to replay, requery or forget (a registered device is in the store, and registers
 * again on its own); it only holds the core's session while the core listens. A refusal goes back
 * to the device as {@code 503}, which is its back-off: it retries on its own schedule.
 */
@Component(service = {DiscoverySource.class, RegisterSource.class}, property = DiscoverySource.PUSH_PROPERTY + ":Boolean=true")
public class RegisterSource implements DiscoverySource {
    static final String ID = "register";

    private final AtomicReference<SourceSession> session = new AtomicReference<>();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void open(SourceSession newSession) {
        session.set(newSession);
    }

    @Override
    public void close(SourceSession oldSession) {
        session.compareAndSet(oldSession, null);
    }

    /**
     * Reports a device that registered itself.
     *
     * @throws IllegalStateException no discovery core listens
     * @throws io.wasmiot.gateway.api.source.CapacityExceededException the gateway is full
     */
    void register(Sighting sighting) {
        SourceSession current = session.get();
        if (current == null) {
            throw new IllegalStateException("the core bundle is not running");
        }
        current.sighted(sighting.name(), sighting.communication());
    }
}
