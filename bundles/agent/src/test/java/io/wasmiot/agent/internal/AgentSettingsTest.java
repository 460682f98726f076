package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.Test;

/** Configuration keys first, then the reference environment variables, then defaults (docs/contract.md §8). */
public class AgentSettingsTest {
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "WASMIOT_SUPERVISOR_NAME", "env-name",
            "WASMIOT_SUPERVISOR_PORT", "5100",
            "WASMIOT_ORCHESTRATOR_URL", "http://env-gateway:3000",
            "WASMIOT_REGISTER_RENEWAL_TIME", "60");

    @Test
    public void defaultsWithoutKeysOrEnvironment() {
        AgentSettings settings = AgentSettings.resolve(Map.of(), name -> null, () -> "pi4.lan");

        assertEquals("pi4", settings.name());
        assertEquals(5000, settings.port());
        assertNull(settings.orchestratorUrl());
        assertEquals(Duration.ofSeconds(900), settings.renewalTime());
        assertNull(settings.descriptionFile());
        assertNull(settings.mdnsAddress());
    }

    @Test
    public void theEnvironmentFillsUnsetKeys() {
        AgentSettings settings = AgentSettings.resolve(Map.of("port", " "), ENVIRONMENT::get, () -> "host");

        assertEquals("env-name", settings.name());
        assertEquals(5100, settings.port());
        assertEquals("http://env-gateway:3000", settings.orchestratorUrl().toString());
        assertEquals(Duration.ofSeconds(60), settings.renewalTime());
    }

    @Test
    public void keysWinOverTheEnvironment() {
        AgentSettings settings = AgentSettings.resolve(Map.of("name", "configured", "port", 5200,
                "orchestratorUrl", "http://gw:3000/", "registerRenewalSeconds", 30L, "descriptionFile", "/etc/d.json",
                "mdnsAddress", "127.0.0.1"), ENVIRONMENT::get, () -> "host");

        assertEquals("configured", settings.name());
        assertEquals(5200, settings.port());
        assertEquals("http://gw:3000", settings.orchestratorUrl().toString());
        assertEquals(Duration.ofSeconds(30), settings.renewalTime());
        assertEquals(Path.of("/etc/d.json"), settings.descriptionFile());
        assertEquals("127.0.0.1", settings.mdnsAddress().getHostAddress());
    }

    @Test
    public void valuesFromCfgFilesMayBeText() {
        AgentSettings settings = AgentSettings.resolve(Map.of("port", "5300", "registerRenewalSeconds", "45"),
                name -> null, () -> "host");

        assertEquals(5300, settings.port());
        assertEquals(Duration.ofSeconds(45), settings.renewalTime());
    }

    @Test
    public void badValuesAreRefusedWithTheirKey() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.resolve(Map.of("port", "70000"), name -> null, () -> "host"));
        assertEquals("port '70000' must be a whole number from 1 to 65535", port.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.resolve(Map.of(), Map.of("WASMIOT_ORCHESTRATOR_URL", "gw:3000")::get, () -> "h"));
        assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.resolve(Map.of("mdnsAddress", "my-host"), name -> null, () -> "h"));
    }

    @Test
    public void hostNamesBecomeInstanceLabels() {
        assertEquals("pi4", AgentSettings.labelFrom("pi4.local"));
        assertEquals("my-box-1", AgentSettings.labelFrom("my box!1"));
        assertEquals("wasmiot-agent", AgentSettings.labelFrom(""));
        assertEquals(63, AgentSettings.labelFrom("x".repeat(80)).length());
    }
}
