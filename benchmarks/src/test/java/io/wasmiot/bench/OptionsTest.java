package io.wasmiot.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

public class OptionsTest {
    @Test
    public void jvmOptionsFileIsOneOptionALineWithComments() {
        assertEquals(List.of("-Xmx96m", "-XX:+UseSerialGC", "-Xss512k", "-Xms24m", "-XX:TieredStopAtLevel=1"),
                Options.parseJvmOptions(List.of("# the launcher's flags", "", "  -Xmx96m  ", "-XX:+UseSerialGC # small heap, one GC thread",
                        "   # indented comment", "-Xss512k", "-Xms24m  -XX:TieredStopAtLevel=1")));
    }

    @Test
    public void gatewayJavaOptsComeAfterTheFilesFlags() throws Exception {
        Path file = Files.createTempFile("jvm", ".options");
        try {
            Files.writeString(file, "-Xmx96m\n-XX:+UseSerialGC\n");
            Options o = Options.parse(new String[] {"--jvm-options", file.toString(), "--gateway-java-opts", "-Xmx128m -XX:NativeMemoryTracking=summary"});
            assertEquals(List.of("-Xmx96m", "-XX:+UseSerialGC", "-Xmx128m", "-XX:NativeMemoryTracking=summary"), o.gatewayFlags);
            assertTrue(o.gatewayFlagsSource, o.gatewayFlagsSource.contains("--gateway-java-opts"));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    public void anAbsentFileMeansNoFlags() {
        Options o = Options.parse(new String[] {"--jvm-options", "/nonexistent/jvm.options"});
        assertEquals(List.of(), o.gatewayFlags);
        assertTrue(o.gatewayFlagsSource, o.gatewayFlagsSource.contains("absent"));
        assertEquals(List.of(), Options.parse(new String[] {"--jvm-options", "none"}).gatewayFlags);
    }
}
