package io.wasmiot.gateway.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.source.SourceSession;

public class HandRegistrationsTest {

    /** A session that records its sightings as "name address:port". */
    private static SourceSession recording(List<String> heard) {
        return (SourceSession) Proxy.newProxyInstance(HandRegistrationsTest.class.getClassLoader(),
                new Class<?>[] {SourceSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sighted")) {
                        Communication at = (Communication) args[1];
                        heard.add(args[0] + " " + at.addresses().get(0) + ":" + at.port());
                    }
                    return method.getName().equals("isOpen") ? Boolean.TRUE : null;
                });
    }

    @Test
    public void handRegistrationsReportAsRegisterWhileACoreListens() {
        HandRegistrations registrations = new HandRegistrations();
        assertEquals("register", registrations.id());
        assertFalse(registrations.available());
        Communication at = new Communication(List.of("10.0.0.5"), 8080);
        assertEquals("the discovery core is not running",
                assertThrows(IllegalStateException.class, () -> registrations.register("lab-pc", at)).getMessage());

        List<String> heard = new ArrayList<>();
        SourceSession session = recording(heard);
        registrations.open(session);
        assertTrue(registrations.available());
        registrations.register("lab-pc", at);
        assertEquals(List.of("lab-pc 10.0.0.5:8080"), heard);

        registrations.close(session);
        assertFalse(registrations.available());
    }
}
