package io.wasmiot.gateway.core.internal;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Consumer;

import io.wasmiot.lib.settings.BoundedValues;

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
        BoundedValues values = new BoundedValues(DiscoveryConfig.PID);
        CheckedDiscoveryConfig checked = new CheckedDiscoveryConfig(
                values.within("healthInterval", raw.healthInterval(), 1, 86_400),
                values.within("failuresBeforeInactive", raw.failuresBeforeInactive(), 1, 1000),
                values.within("successesBeforeActive", raw.successesBeforeActive(), 1, 1000),
                values.within("forgetAfter", raw.forgetAfter(), 0, 315_360_000),
                values.within("goodbyeGrace", raw.goodbyeGrace(), 0, 86_400),
                values.within("introductionRounds", raw.introductionRounds(), 1, 20),
                values.within("introductionBackoffMillis", raw.introductionBackoffMillis(), 0, 600_000),
                values.within("maxDevices", raw.maxDevices(), 1, 1_000_000),
                values.within("statusLogLength", raw.statusLogLength(), 1, 1000),
                url(raw.publicBaseUrl(), values));
        values.warn(warn);
        return checked;
    }

    /** An absolute http(s) URL with a host, or empty (the default address); anything else is refused. */
    private static String url(String value, BoundedValues values) {
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
        return values.replaced("publicBaseUrl", value, "", "an http or https URL with a host; empty = the default");
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return DiscoveryConfig.class;
    }
}
