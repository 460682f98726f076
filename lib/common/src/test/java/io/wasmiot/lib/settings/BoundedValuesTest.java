package io.wasmiot.lib.settings;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class BoundedValuesTest {
    @Test
    public void valuesOutOfRangeGoToTheNearestBoundAndAreNamedInOneWarning() {
        BoundedValues values = new BoundedValues("wasmiot.test");
        assertEquals(1, values.within("interval", 0, 1, 60));
        assertEquals(60L, values.within("timeout", 1_000L, 1, 60));
        assertEquals(0.5, values.within("rate", Double.NaN, 0.5, 2), 0);
        assertEquals(5, values.within("kept", 5, 1, 10));
        List<String> warnings = new ArrayList<>();
        values.warn(warnings::add);
        assertEquals(1, warnings.size());
        String warning = warnings.get(0);
        assertTrue(warning, warning.startsWith("wasmiot.test: "));
        assertTrue(warning, warning.contains("interval 0 -> 1 (1-60)"));
        assertTrue(warning, warning.contains("timeout 1000 -> 60 (1-60)"));
        assertTrue(warning, warning.contains("rate NaN -> 0.5 (0.5-2)"));
        assertTrue(warning, !warning.contains("kept"));
    }

    @Test
    public void aReplacedValueSaysWhy() {
        BoundedValues values = new BoundedValues("wasmiot.test");
        assertEquals("orchestrator", values.replaced("selfName", "", "orchestrator", "1-50 characters"));
        assertEquals(List.of("selfName '' -> 'orchestrator' (1-50 characters)"), values.changed());
    }

    @Test
    public void valuesInRangeSayNothing() {
        BoundedValues values = new BoundedValues("wasmiot.test");
        values.within("interval", 5, 1, 60);
        List<String> warnings = new ArrayList<>();
        values.warn(warnings::add);
        assertEquals(List.of(), warnings);
    }
}
