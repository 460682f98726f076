package io.wasmiot.gateway.api.access;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway API's bearer token, checked by the bundle that holds it (the REST bundle, PID
 * {@code wasmiot.gateway.rest}, key {@code .apiToken}) for every bundle that serves under the same API:
 * one token for the device operations and the update service, configured in one place, never a
 * service property and never handed out.
 */
@ProviderType
public interface ApiTokenCheck {

    /** Whether a token is configured. Without one, device operations are open and code installs over REST are off. */
    boolean configured();

    /**
     * Whether {@code authorization}, an HTTP {@code Authorization} header's value ({@code null} when
     * absent), is {@code Bearer <the token>}. Compared in constant time; {@code false} when no token is
     * configured.
     */
    boolean accepts(String authorization);
}
