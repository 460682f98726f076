package io.wasmiot.gateway.mdns.transport.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class GatewayNameTest {
    @Test
    public void theConfiguredNameAndRenamingsOfItAreGateways() {
        assertTrue(MdnsTransportComponent.isGatewayName("orchestrator", "orchestrator"));
        assertTrue(MdnsTransportComponent.isGatewayName("orchestrator (2)", "orchestrator"));
        assertTrue(MdnsTransportComponent.isGatewayName("orchestrator (17)", "orchestrator"));
    }

    @Test
    public void devicesWhoseNamesMerelyLookAlikeAreNot() {
        assertFalse(MdnsTransportComponent.isGatewayName("orchestrator-lab", "orchestrator"));
        assertFalse(MdnsTransportComponent.isGatewayName("orchestrator (x)", "orchestrator"));
        assertFalse(MdnsTransportComponent.isGatewayName("orchestrator ()", "orchestrator"));
        assertFalse(MdnsTransportComponent.isGatewayName("my orchestrator (2)", "orchestrator"));
        assertFalse(MdnsTransportComponent.isGatewayName("sim-0001", "orchestrator"));
    }
}
