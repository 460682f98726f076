package io.wasmiot.gateway.store.internal;

import java.util.Map;

import org.slf4j.Logger;

import io.wasmiot.lib.settings.Secrets;

/** The store's password, from its private key ({@code .password}) or, with a warning, from the old one. */
final class StoreSecrets {
    private StoreSecrets() {
    }

    /** The password to use: {@code .password}, else the old {@code password} (logged: it is published). */
    static String password(StoreConfig config, Map<String, ?> properties, Logger log) {
        return Secrets.secret(StoreConfig.PID, "password", config._password(), properties, log::warn);
    }
}
