package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class GatewayNameTest {
    @Test
    public void theConfiguredNameAndJmdnsRenamingsOfItAreGateways() {
        assertTrue(MdnsBrowser.isGatewayName("orchestrator", "orchestrator"));
        assertTrue(MdnsBrowser.isGatewayName("orchestrator (2)", "orchestrator"));
        assertTrue(MdnsBrowser.isGatewayName("orchestrator (17)", "orchestrator"));
    }

    @Test
    public void devicesWhoseNamesMerelyLookAlikeAreNot() {
        assertFalse(MdnsBrowser.isGatewayName("orchestrator-lab", "orchestrator"));
        assertFalse(MdnsBrowser.isGatewayName("orchestrator (x)", "orchestrator"));
        assertFalse(MdnsBrowser.isGatewayName("orchestrator ()", "orchestrator"));
        assertFalse(MdnsBrowser.isGatewayName("my orchestrator (2)", "orchestrator"));
        assertFalse(MdnsBrowser.isGatewayName("sim-0001", "orchestrator"));
    }
}
