package io.wasmiot.gateway.store.internal;

import java.util.Map;

import org.slf4j.Logger;

/** The store's password, from its private key ({@code .password}) or, with a warning, from the old one. */
final class StoreSecrets {
    private StoreSecrets() {
    }

    /** The password to use: {@code .password}, else the old {@code password} (logged: it is published). */
    static String password(StoreConfig config, Map<String, ?> properties, Logger log) {
        Object old = properties.get("password");
        String legacy = old instanceof String text ? text : "";
        if (!legacy.isEmpty()) {
            log.warn("{}: the key 'password' is published as a service property, visible to every bundle and on "
                    + "the web console's services page; rename it '.password' (with the dot)", StoreConfig.PID);
        }
        return config._password().isEmpty() ? legacy : config._password();
    }
}
