package io.wasmiot.lib.settings;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class SecretsTest {
    private final List<String> warnings = new ArrayList<>();

    @Test
    public void thePrivateKeyWinsAndNothingIsSaid() {
        assertEquals("s3cret", Secrets.secret("pid", "password", "s3cret", Map.of(), warnings::add));
        assertTrue(warnings.isEmpty());
    }

    @Test
    public void theOldKeyStillWorksWithAWarningThatNamesItButNotItsValue() {
        assertEquals("old-one", Secrets.secret("pid", "password", "", Map.of("password", "old-one"), warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("'password'") && warnings.get(0).contains("'.password'"));
        assertFalse("never the secret itself", warnings.get(0).contains("old-one"));
    }

    @Test
    public void withBothThePrivateKeyIsUsedAndTheOldOneStillWarnedOf() {
        assertEquals("new", Secrets.secret("pid", "apiToken", "new", Map.of("apiToken", "old"), warnings::add));
        assertEquals(1, warnings.size());
    }
}
