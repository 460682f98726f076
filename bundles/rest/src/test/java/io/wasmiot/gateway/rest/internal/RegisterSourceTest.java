package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.SourceSession;

public class RegisterSourceTest {
    private static final Sighting DEVICE = new Sighting("sup-1", new Communication(List.of("10.0.0.1"), 5000),
            RegisterSource.ID, Instant.now());

    private static final class Recorder implements SourceSession {
        final List<String> heard = new ArrayList<>();
        boolean full;

        @Override
        public String sourceId() {
            return RegisterSource.ID;
        }

        @Override
        public void sighted(String name, Communication communication) {
            if (full) {
                throw new CapacityExceededException("full");
            }
            heard.add(name + " " + communication.addresses() + ":" + communication.port());
        }

        @Override
        public void goodbye(String name, String reason) {
            heard.add("goodbye " + name);
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    @Test
    public void aRegisterGoesToTheOpenSessionAndNowhereWithoutOne() {
        RegisterSource source = new RegisterSource();
        assertEquals("register", source.id());
        IllegalStateException noCore = assertThrows(IllegalStateException.class, () -> source.register(DEVICE));
        assertEquals("the core bundle is not running", noCore.getMessage());

        Recorder first = new Recorder();
        source.open(first);
        source.register(DEVICE);
        assertEquals(List.of("sup-1 [10.0.0.1]:5000"), first.heard);

        first.full = true;
        assertThrows(CapacityExceededException.class, () -> source.register(DEVICE));

        Recorder second = new Recorder();
        source.open(second);
        source.close(first); // a stale close leaves the newer session alone
        source.register(DEVICE);
        assertEquals(List.of("sup-1 [10.0.0.1]:5000"), second.heard);

        source.close(second);
        assertThrows(IllegalStateException.class, () -> source.register(DEVICE));
    }
}
