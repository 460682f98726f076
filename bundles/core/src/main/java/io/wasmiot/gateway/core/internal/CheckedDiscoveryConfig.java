package io.wasmiot.gateway.core.internal;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The discovery configuration with every value inside its range. ConfigAdmin takes any number from
 * a {@code .cfg} file (the metatype's bounds only guide the web console's form), and
 * {@code healthInterval=0} would have made the sweeps a busy loop: a value out of range is set to
 * the nearest bound, and the operator is told which and why.
 */
record CheckedDiscoveryConfig(int healthInterval, int failuresBeforeInactive, int successesBeforeActive,
        int forgetAfter, int goodbyeGrace, int introductionRounds, int introductionBackoffMillis, int maxDevices,
        int statusLogLength, String publicBaseUrl) implements DiscoveryConfig {

    static DiscoveryConfig of(DiscoveryConfig raw, Consumer<String> warn) {
        List<String> changed = new ArrayList<>();
        CheckedDiscoveryConfig checked = new CheckedDiscoveryConfig(
                within("healthInterval", raw.healthInterval(), 1, 86_400, changed),
                within("failuresBeforeInactive", raw.failuresBeforeInactive(), 1, 1000, changed),
                within("successesBeforeActive", raw.successesBeforeActive(), 1, 1000, changed),
                within("forgetAfter", raw.forgetAfter(), 0, 315_360_000, changed),
                within("goodbyeGrace", raw.goodbyeGrace(), 0, 86_400, changed),
                within("introductionRounds", raw.introductionRounds(), 1, 20, changed),
                within("introductionBackoffMillis", raw.introductionBackoffMillis(), 0, 600_000, changed),
                within("maxDevices", raw.maxDevices(), 1, 1_000_000, changed),
                within("statusLogLength", raw.statusLogLength(), 1, 1000, changed),
                url(raw.publicBaseUrl(), changed));
        if (!changed.isEmpty()) {
            warn.accept(DiscoveryConfig.PID + ": values out of range were set to the nearest bound or the default: "
                    + String.join(", ", changed));
        }
        return checked;
    }

    private static int within(String key, int value, int min, int max, List<String> changed) {
        int bounded = Math.max(min, Math.min(max, value));
        if (bounded != value) {
            changed.add(key + " " + value + " -> " + bounded + " (" + min + "-" + max + ")");
        }
        return bounded;
    }

    /** An absolute http(s) URL with a host, or empty (the default address); anything else is refused. */
    private static String url(String value, List<String> changed) {
        if (value == null || value.isBlank()) {
            return "";
        }
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value.strip();
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        changed.add("publicBaseUrl '" + value + "' -> '' (an http or https URL with a host; empty = the default)");
        return "";
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return DiscoveryConfig.class;
    }
}
