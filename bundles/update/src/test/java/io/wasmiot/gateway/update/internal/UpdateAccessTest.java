package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

import io.wasmiot.gateway.api.access.ApiTokenCheck;
import io.wasmiot.gateway.update.internal.UpdateAccess.Decision;

public class UpdateAccessTest {
    /** The REST bundle's check of the gateway's API token, here with {@code token} ("" for none). */
    private static ApiTokenCheck api(String token) {
        return new ApiTokenCheck() {
            @Override
            public boolean configured() {
                return !token.isEmpty();
            }

            @Override
            public boolean accepts(String authorization) {
                return configured() && ("Bearer " + token).equals(authorization);
            }
        };
    }

    @Test
    public void byDefaultTheGatewaysApiTokenOpensUpdates() {
        assertEquals(Decision.ALLOWED, UpdateAccess.decide("", api("api"), "Bearer api"));
        assertEquals(Decision.UNAUTHORIZED, UpdateAccess.decide("", api("api"), "Bearer other"));
        assertEquals(Decision.UNAUTHORIZED, UpdateAccess.decide("", api("api"), null));
    }

    @Test
    public void theUpdateServicesOwnTokenReplacesTheApiToken() {
        assertEquals(Decision.ALLOWED, UpdateAccess.decide("own", api("api"), "Bearer own"));
        assertEquals("the API token no longer installs code", Decision.UNAUTHORIZED,
                UpdateAccess.decide("own", api("api"), "Bearer api"));
        assertEquals("the own token works without the REST bundle", Decision.ALLOWED,
                UpdateAccess.decide("own", null, "Bearer own"));
    }

    @Test
    public void withNoTokenAnywhereUpdatesOverRestAreOff() {
        assertEquals(Decision.OFF, UpdateAccess.decide("", api(""), "Bearer "));
        assertEquals(Decision.OFF, UpdateAccess.decide("", api(""), null));
        assertEquals("REST bundle away", Decision.OFF, UpdateAccess.decide("", null, "Bearer api"));
    }
}
