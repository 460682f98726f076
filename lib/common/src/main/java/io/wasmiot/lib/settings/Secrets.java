package io.wasmiot.lib.settings;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A secret configured under its private key ({@code .name}: DS never publishes a key that starts with
 * a dot as a service property), or, for configurations written before, under its old public key,
 * with a warning that it is published.
 */
public final class Secrets {
    private Secrets() {
    }

    /**
     * The secret to use: {@code privateValue} (the value of {@code .key}) when set, else the old
     * {@code key} from {@code properties}; a set old key is warned of, never its value.
     */
    public static String secret(String pid, String key, String privateValue, Map<String, ?> properties,
            Consumer<String> warning) {
        Object old = properties.get(key);
        String legacy = old instanceof String text ? text : "";
        if (!legacy.isEmpty()) {
            warning.accept(pid + ": the key '" + key + "' is published as a service property, visible to every "
                    + "bundle and on the web console's services page; rename it '." + key + "' (with the dot)");
        }
        return privateValue == null || privateValue.isEmpty() ? legacy : privateValue;
    }
}
