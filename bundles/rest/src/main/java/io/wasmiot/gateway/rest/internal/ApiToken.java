package io.wasmiot.gateway.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.access.ApiTokenCheck;

/**
 * The API token of {@code wasmiot.gateway.rest} ({@code .apiToken}), checked here for the device
 * operations and for every other bundle serving under the gateway's API (the update service): the
 * token stays in this object, never in a service property.
 */
@Component(service = ApiTokenCheck.class, configurationPid = RestConfig.PID)
public class ApiToken implements ApiTokenCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ApiToken.class);
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    @Activate
    public ApiToken(RestConfig config, Map<String, Object> properties) {
        this(RestSecrets.apiToken(config, properties, LOG));
    }

    ApiToken(String token) {
        this.token = token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean configured() {
        return token != null;
    }

    @Override
    public boolean accepts(String authorization) {
        return token != null && authorization != null && authorization.startsWith(BEARER) && MessageDigest.isEqual(
                token, authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
    }
}
