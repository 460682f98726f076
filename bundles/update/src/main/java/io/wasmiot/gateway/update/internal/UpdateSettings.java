package io.wasmiot.gateway.update.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import io.wasmiot.lib.settings.BoundedValues;

/** The update PID's values as used, each within its range (a warning names each value changed). */
record UpdateSettings(Duration gate, int maxDevicesLost, long maxJarBytes, long journalMaxBytes, String apiToken,
                      Path trustStore, String trustStorePassword) {

    /** {@code configFolder}: where a relative {@code trustStore} is (the FileInstall folder, {@code conf/}). */
    static UpdateSettings of(UpdateConfig config, Path configFolder, Consumer<String> warning) {
        BoundedValues values = new BoundedValues(UpdateConfig.PID);
        UpdateSettings settings = new UpdateSettings(
                Duration.ofSeconds(values.within("gateSeconds", config.gateSeconds(), 1, 600)),
                values.within("maxDevicesLost", config.maxDevicesLost(), 0, 100_000),
                values.within("maxJarBytes", config.maxJarBytes(), 1024, 256L << 20),
                values.within("journalMaxBytes", config.journalMaxBytes(), 16L << 10, 1L << 30),
                config._apiToken().strip(),
                config.trustStore().isBlank() ? null : configFolder.resolve(config.trustStore().strip()).toAbsolutePath(),
                config._trustStorePassword());
        values.warn(warning);
        return settings;
    }

    @Override
    public String toString() { // never the token
        return "gate " + gate.toSeconds() + " s, maxDevicesLost " + maxDevicesLost + ", maxJarBytes " + maxJarBytes + ", journalMaxBytes " + journalMaxBytes
                + ", REST updates " + (apiToken.isEmpty() ? "behind the gateway's API token" : "behind this PID's own .apiToken")
                + ", signatures " + (trustStore == null ? "not checked (no trustStore)" : "checked against " + trustStore);
    }
}
