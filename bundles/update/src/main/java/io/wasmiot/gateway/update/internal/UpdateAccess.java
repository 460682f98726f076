package io.wasmiot.gateway.update.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.wasmiot.gateway.api.access.ApiTokenCheck;

/**
 * Who may install code over REST: the bearer of the update service's own {@code .apiToken} when one
 * is set (a separate, stronger right), else the bearer of the gateway's API token. With neither
 * configured, updates over REST are off: an open device API must not mean open code installs.
 */
final class UpdateAccess {
    enum Decision { ALLOWED, OFF, UNAUTHORIZED }

    private UpdateAccess() {
    }

    /**
     * @param ownToken the update service's {@code .apiToken}, empty when not set
     * @param apiToken the gateway API's token check, {@code null} while the REST bundle is away
     * @param authorization the request's {@code Authorization} header, {@code null} when absent
     */
    static Decision decide(String ownToken, ApiTokenCheck apiToken, String authorization) {
        if (!ownToken.isEmpty()) {
            return bearerOf(ownToken, authorization) ? Decision.ALLOWED : Decision.UNAUTHORIZED;
        }
        if (apiToken == null || !apiToken.configured()) {
            return Decision.OFF;
        }
        return apiToken.accepts(authorization) ? Decision.ALLOWED : Decision.UNAUTHORIZED;
    }

    private static boolean bearerOf(String token, String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}
