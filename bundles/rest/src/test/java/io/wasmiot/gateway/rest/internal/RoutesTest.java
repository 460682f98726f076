package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.Test;

public class RoutesTest {
    private final Routes.Handler list = (request, response, path) -> { };
    private final Routes.Handler one = (request, response, path) -> { };
    private final Routes.Handler reset = (request, response, path) -> { };
    private final Routes.Handler blacklist = (request, response, path) -> { };
    private final Routes routes = new Routes()
            .get("/file/device", list)
            .get("/file/device/{device}", one)
            .delete("/file/device/{device}", one)
            .post("/file/device/discovery/reset", reset)
            .post("/file/device/{device}/blacklist", blacklist);

    @Test
    public void aLiteralPathFindsItsHandler() {
        Routes.Found found = (Routes.Found) routes.match("GET", "/file/device");
        assertSame(list, found.handler());
        assertEquals(Map.of(), found.parameters());
        assertSame(reset, ((Routes.Found) routes.match("POST", "/file/device/discovery/reset")).handler());
    }

    @Test
    public void aParameterTakesOneNonEmptySegment() {
        Routes.Found found = (Routes.Found) routes.match("POST", "/file/device/sim-0001/blacklist");
        assertSame(blacklist, found.handler());
        assertEquals(Map.of("device", "sim-0001"), found.parameters());
        assertTrue(routes.match("POST", "/file/device//blacklist") instanceof Routes.NotFound);
        assertTrue(routes.match("GET", "/file/device/a/b/c") instanceof Routes.NotFound);
        assertTrue(routes.match("GET", "/file/device/some-id/no-such-action") instanceof Routes.NotFound);
    }

    @Test
    public void aPathTakenOnlyByOtherMethodsIsNotAllowedAndSaysWhich() {
        assertEquals(new Routes.NotAllowed(Set.of("DELETE", "GET")), routes.match("PUT", "/file/device/x"));
        assertEquals(new Routes.NotAllowed(Set.of("GET")), routes.match("POST", "/file/device"));
    }

    @Test
    public void anUnknownPathIsNotFound() {
        assertTrue(routes.match("GET", "/nope") instanceof Routes.NotFound);
        assertTrue(routes.match("GET", "/") instanceof Routes.NotFound);
    }
}
