package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class CheckedDiscoveryConfigTest {
    @Test
    public void valuesOutOfRangeGoToTheNearestBoundAndAreNamed() {
        List<String> warnings = new ArrayList<>();
        DiscoveryConfig checked = CheckedDiscoveryConfig.of(Configs.config(DiscoveryConfig.class,
                Map.of("healthInterval", 0, "failuresBeforeInactive", -3, "introductionRounds", 500)), warnings::add);
        assertEquals(1, checked.healthInterval());
        assertEquals(1, checked.failuresBeforeInactive());
        assertEquals(20, checked.introductionRounds());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("healthInterval 0 -> 1 (1-86400)"));
        assertTrue(warnings.get(0), warnings.get(0).contains("failuresBeforeInactive -3 -> 1"));
    }

    @Test
    public void valuesInRangeAreKeptWithoutAWord() {
        List<String> warnings = new ArrayList<>();
        DiscoveryConfig checked = CheckedDiscoveryConfig.of(Configs.config(DiscoveryConfig.class, Map.of()), warnings::add);
        assertEquals(15, checked.healthInterval());
        assertEquals(300, checked.forgetAfter());
        assertEquals(List.of(), warnings);
    }

    @Test
    public void aPublicBaseUrlThatIsNoHttpUrlFallsBackToTheDefaultAndIsNamed() {
        for (String bad : List.of("gateway.local:3000", "ftp://gateway/", "http://", "http://bad host/", "/relative")) {
            List<String> warnings = new ArrayList<>();
            DiscoveryConfig checked = CheckedDiscoveryConfig.of(Configs.config(DiscoveryConfig.class,
                    Map.of("publicBaseUrl", bad)), warnings::add);
            assertEquals(bad, "", checked.publicBaseUrl());
            assertEquals(bad, 1, warnings.size());
            assertTrue(warnings.get(0), warnings.get(0).contains("publicBaseUrl '" + bad + "'"));
        }
    }

    @Test
    public void anHttpOrHttpsPublicBaseUrlIsKeptStripped() {
        List<String> warnings = new ArrayList<>();
        DiscoveryConfig checked = CheckedDiscoveryConfig.of(Configs.config(DiscoveryConfig.class,
                Map.of("publicBaseUrl", " https://gw.example:8443/ ")), warnings::add);
        assertEquals("https://gw.example:8443/", checked.publicBaseUrl());
        assertEquals(List.of(), warnings);
    }
}
