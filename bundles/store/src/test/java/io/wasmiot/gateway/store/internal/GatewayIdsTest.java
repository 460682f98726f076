package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The gateway's identity, which the store keeps and publishes with its pool (was in DeviceLeasesTest). */
public class GatewayIdsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theGatewayIdIsConfiguredOrGeneratedOnceAndKept() throws Exception {
        Path data = folder.newFolder("data").toPath();
        String generated = GatewayIds.resolve("", data);
        assertEquals(generated, GatewayIds.resolve(" ", data));
        assertEquals(generated, Files.readString(data.resolve(GatewayIds.FILE)).strip());
        assertEquals("gw-7", GatewayIds.resolve(" gw-7 ", data));
        assertNotEquals(generated, GatewayIds.resolve("", folder.newFolder("other").toPath()));
        try {
            GatewayIds.resolve("x".repeat(65), data);
            fail("too long an id is refused");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("at most 64"));
        }
    }
}
