package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.Test;

public class DeviceJsonTest {
    private final DeviceJson json = new DeviceJson(
            new ProbeSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 4096, 1024, 4));

    private String compact(String body) throws DeviceJson.InvalidBodyException {
        return json.compactObject(body.getBytes(StandardCharsets.UTF_8));
    }

    private String refused(String body) {
        return assertThrows(DeviceJson.InvalidBodyException.class, () -> compact(body)).getMessage();
    }

    @Test
    public void anObjectIsWrittenBackCompactWithItsUnknownFieldsAndExactNumbers() throws Exception {
        assertEquals("{\"a\":1.0,\"b\":[1,2],\"unknown\":{\"x\":0.10}}",
                compact(" {\"a\": 1.0, \"b\": [1, 2],\n \"unknown\": {\"x\": 0.10}} "));
    }

    @Test
    public void anythingButOneJsonObjectIsRefusedWithAReason() {
        assertEquals("empty body", refused(""));
        assertEquals("JSON array, not an object", refused("[1]"));
        assertTrue(refused("{} {}"), refused("{} {}").startsWith("not JSON"));
        assertTrue(refused("{\"a\":"), refused("{\"a\":").startsWith("not JSON"));
    }

    @Test
    public void nestingDeeperThan64IsBeyondLimits() throws Exception {
        String deep = "{\"a\":".repeat(64) + "1" + "}".repeat(64);
        assertTrue(compact(deep).startsWith("{\"a\":{"));
        String deeper = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
        assertTrue(refused(deeper), refused(deeper).startsWith("JSON beyond limits"));
    }

    @Test
    public void theRegisterBodyCarriesTheUrl() throws Exception {
        assertEquals("{\"url\":\"http://gw:3000\"}", new String(json.registerBody("http://gw:3000"), StandardCharsets.UTF_8));
    }
}
