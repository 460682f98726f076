package io.wasmiot.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The device description generated from this host, in the Python supervisor's shape (docs/contract.md §9):
 * {@code {"platform":{"memory":{"bytes":N},"cpu":{"humanReadableName":"...","clockSpeed":{"Hz":1.2e9}}},
 * "supervisorInterfaces":[]}}. Linux facts come from /proc and /sys; elsewhere the JVM's view
 * (maximum heap, {@code os.arch}, clock 0 = unknown). A Java agent hosts no WebAssembly functions,
 * so {@code supervisorInterfaces} is empty; serve a description file to claim some.
 */
final class HostDescription {
    private HostDescription() {
    }

    static ObjectNode generate(ObjectMapper mapper, Path procRoot, Path sysRoot) {
        String meminfo = read(procRoot.resolve("meminfo"));
        String cpuinfo = read(procRoot.resolve("cpuinfo"));
        OptionalLong memoryKiB = HostMetrics.meminfoKiB(meminfo, "MemTotal");
        long memoryBytes = memoryKiB.isPresent() ? memoryKiB.getAsLong() * 1024 : Runtime.getRuntime().maxMemory();

        ObjectNode description = mapper.createObjectNode();
        ObjectNode platform = description.putObject("platform");
        platform.putObject("memory").put("bytes", memoryBytes);
        ObjectNode cpu = platform.putObject("cpu");
        cpu.put("humanReadableName", cpuName(cpuinfo));
        cpu.putObject("clockSpeed").put("Hz", clockSpeedHz(cpuinfo, sysRoot));
        description.putArray("supervisorInterfaces");
        return description;
    }

    static ObjectNode forThisHost(ObjectMapper mapper) {
        return generate(mapper, Path.of("/proc"), Path.of("/sys"));
    }

    /** x86 "model name"; ARM and others name it "Hardware", "Model", "cpu model" or "Processor". */
    static String cpuName(String cpuinfo) {
        for (String key : List.of("model name", "Model", "Hardware", "cpu model", "Processor")) {
            String value = cpuinfoValue(cpuinfo, key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return System.getProperty("os.arch", "unknown") + " ("
                + Runtime.getRuntime().availableProcessors() + " processors)";
    }

    /** "cpu MHz" (x86), else cpufreq's maximum (kHz, ARM); 0.0 when unknown. */
    static double clockSpeedHz(String cpuinfo, Path sysRoot) {
        String mhz = cpuinfoValue(cpuinfo, "cpu MHz");
        if (mhz != null) {
            try {
                return Double.parseDouble(mhz) * 1e6;
            } catch (NumberFormatException e) {
                // try cpufreq
            }
        }
        String khz = read(sysRoot.resolve("devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")).trim();
        try {
            return khz.isEmpty() ? 0.0 : Double.parseDouble(khz) * 1e3;
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    /**
     * The value of the first "key<tabs>: value" line of /proc/cpuinfo. Case matters: x86's numeric
     * "model" line must not pass for ARM's "Model".
     */
    private static String cpuinfoValue(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
