package io.wasmiot.gateway.core.internal;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The discovery configuration in force, with what follows from it: the health rules and the
 * gateway's public URL. Replaced whole when the configuration changes.
 *
 * @param forwardedFor the host of the public URL, sent as X-Forwarded-For with every check
 */
record CoreSettings(DiscoveryConfig config, HealthRules rules, String publicBaseUrl, String forwardedFor) {

    /** @param warn told about each value set to its nearest bound */
    static CoreSettings of(DiscoveryConfig raw, int gatewayPort, Consumer<String> warn) {
        DiscoveryConfig config = CheckedDiscoveryConfig.of(raw, warn);
        HealthRules rules = new HealthRules(config.failuresBeforeInactive(), config.successesBeforeActive(),
                Duration.ofSeconds(config.forgetAfter()), config.statusLogLength());
        String publicBaseUrl = PublicUrl.of(config.publicBaseUrl(), gatewayPort);
        return new CoreSettings(config, rules, publicBaseUrl, URI.create(publicBaseUrl).getHost());
    }
}
