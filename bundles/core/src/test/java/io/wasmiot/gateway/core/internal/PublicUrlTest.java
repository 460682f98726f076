package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PublicUrlTest {

    @Test
    public void aConfiguredUrlIsTakenWithoutSurroundingBlanksOrATrailingSlash() {
        assertEquals("https://gw.example:8443", PublicUrl.of(" https://gw.example:8443/ ", 3000));
        assertEquals("http://gw.example/base", PublicUrl.of("http://gw.example/base", 3000));
    }

    @Test
    public void withoutOneTheUrlIsAnIpv4AddressOfThisHostAtTheHttpPort() {
        for (String unset : new String[] {null, "", "  "}) {
            String url = PublicUrl.of(unset, 3123);
            assertTrue(url, url.matches("http://\\d+\\.\\d+\\.\\d+\\.\\d+:3123"));
        }
    }

    @Test
    public void theHttpPortIsTheFrameworksOr3000() {
        assertEquals(8080, PublicUrl.port(" 8080 "));
        assertEquals(3000, PublicUrl.port(null));
        assertEquals(3000, PublicUrl.port("eighty"));
    }
}
