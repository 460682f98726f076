package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The generated description and the health fractions, from fake /proc and /sys trees. */
public class HostFactsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void anX86HostIsDescribedFromProc() throws Exception {
        Path proc = folder.newFolder("proc").toPath();
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       16000000 kB\nMemFree:         1000 kB\n");
        Files.writeString(proc.resolve("cpuinfo"), "processor\t: 0\nmodel\t\t: 85\n"
                + "model name\t: Intel(R) Xeon(R) Processor\ncpu MHz\t\t: 2600.000\n");

        ObjectNode description = HostDescription.generate(new ObjectMapper(), proc, folder.newFolder("sys").toPath());

        assertEquals(16000000L * 1024, description.at("/platform/memory/bytes").asLong());
        assertEquals("Intel(R) Xeon(R) Processor", description.at("/platform/cpu/humanReadableName").asText());
        assertEquals(2.6e9, description.at("/platform/cpu/clockSpeed/Hz").asDouble(), 1);
        assertEquals(0, description.get("supervisorInterfaces").size());
    }

    @Test
    public void aRaspberryPiIsDescribedFromProcAndCpufreq() throws Exception {
        Path proc = folder.newFolder("proc").toPath();
        Path sys = folder.newFolder("sys").toPath();
        Files.writeString(proc.resolve("meminfo"), "MemTotal:        3884096 kB\n");
        Files.writeString(proc.resolve("cpuinfo"), "processor\t: 0\nBogoMIPS\t: 108.00\n"
                + "Hardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n");
        Path cpufreq = sys.resolve("devices/system/cpu/cpu0/cpufreq");
        Files.createDirectories(cpufreq);
        Files.writeString(cpufreq.resolve("cpuinfo_max_freq"), "1500000\n");

        ObjectNode description = HostDescription.generate(new ObjectMapper(), proc, sys);

        assertEquals("Raspberry Pi 4 Model B Rev 1.4", description.at("/platform/cpu/humanReadableName").asText());
        assertEquals(1.5e9, description.at("/platform/cpu/clockSpeed/Hz").asDouble(), 1);
    }

    @Test
    public void withoutProcTheJvmFillsIn() throws Exception {
        Path empty = folder.newFolder("empty").toPath();

        ObjectNode description = HostDescription.generate(new ObjectMapper(), empty, empty);

        assertTrue(description.at("/platform/memory/bytes").asLong() > 0);
        assertTrue(description.at("/platform/cpu/humanReadableName").asText().contains("processors"));
        assertEquals(0.0, description.at("/platform/cpu/clockSpeed/Hz").asDouble(), 0);
    }

    @Test
    public void usageIsMeasuredBetweenSamples() throws Exception {
        Path proc = folder.newFolder("proc").toPath();
        Files.writeString(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
        // user nice system idle iowait irq softirq steal
        Files.writeString(proc.resolve("stat"), "cpu  100 0 100 700 100 0 0 0\ncpu0 1 1 1 1\n");
        HostMetrics metrics = new HostMetrics(proc, 0);

        HostMetrics.Sample first = metrics.sample();
        assertEquals(0.2, first.cpuUsage(), 1e-9); // since boot: 200 busy of 1000
        assertEquals(0.75, first.memoryUsage(), 1e-9);

        Files.writeString(proc.resolve("stat"), "cpu  190 0 100 710 100 0 0 0\n");
        assertEquals(0.9, metrics.sample().cpuUsage(), 1e-9); // 90 busy of the next 100
    }

    @Test
    public void aSampleIsReusedWithinTheInterval() throws Exception {
        Path proc = folder.newFolder("proc").toPath();
        Files.writeString(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemAvailable: 500 kB\n");
        HostMetrics metrics = new HostMetrics(proc, 60_000_000_000L);
        double before = metrics.sample().memoryUsage();

        Files.writeString(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemAvailable: 100 kB\n");

        assertEquals(before, metrics.sample().memoryUsage(), 0);
    }
}
