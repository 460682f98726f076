package io.wasmiot.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** The python-zeroconf bursts' parsing and judging; no process, no socket. */
public class ZeroconfTest {
    @Test
    public void simulatorUpLinesGiveNameAddressAndPort() {
        assertEquals(new SimulatorProcess.Up("z100-0001", "127.0.0.1", 46001), SimulatorProcess.Up.parse("UP z100-0001 127.0.0.1:46001"));
        assertEquals(new SimulatorProcess.Up("sim-0002", "::1", 41000), SimulatorProcess.Up.parse("  UP sim-0002 [::1]:41000 "));
        assertNull(SimulatorProcess.Up.parse("READY 3"));
        assertNull(SimulatorProcess.Up.parse("UP sim-0001"));
        assertNull(SimulatorProcess.Up.parse("UP sim-0001 127.0.0.1"));
        assertNull(SimulatorProcess.Up.parse("UP sim-0001 127.0.0.1:x"));
        assertNull(SimulatorProcess.Up.parse("UP sim-0001 127.0.0.1:0"));
        assertNull(SimulatorProcess.Up.parse("MOVED sim-0001 127.0.0.1:41001"));
        assertNull(SimulatorProcess.Up.parse(""));
    }

    @Test
    public void fleetAnswersAreParsed() {
        assertEquals(new ZeroconfFleet.Answer("READY", 0, Double.NaN), ZeroconfFleet.Answer.parse("READY 0"));
        assertEquals(new ZeroconfFleet.Answer("PROBED", 100, 0.381), ZeroconfFleet.Answer.parse("PROBED 100 0.381"));
        assertEquals(new ZeroconfFleet.Answer("READY", 101, 0.83), ZeroconfFleet.Answer.parse("READY 101 0.830"));
        assertEquals(new ZeroconfFleet.Answer("QUEUED", 500, Double.NaN), ZeroconfFleet.Answer.parse("QUEUED 500"));
        assertEquals(new ZeroconfFleet.Answer("CLOSED", 3, 0.25), ZeroconfFleet.Answer.parse("CLOSED 3 0.250"));
        assertNull(ZeroconfFleet.Answer.parse("ERROR unknown command bogus"));
        assertNull(ZeroconfFleet.Answer.parse("READY"));
        assertNull(ZeroconfFleet.Answer.parse("READY many"));
    }

    @Test
    public void addLinesCarryNamesAndPorts() {
        assertEquals("add z1-0001 46001 z1-0002 46002\n", ZeroconfFleet.addLine(List.of(
                new SimulatorProcess.Up("z1-0001", "127.0.0.1", 46001), new SimulatorProcess.Up("z1-0002", "127.0.0.1", 46002))));
    }

    @Test
    public void zeroconfSizesDefaultQuickAndSkip() {
        assertEquals(List.of(1, 100, 500), Options.parse(new String[] {"--jvm-options", "none"}).zeroconfSizes);
        assertEquals(List.of(100), Options.parse(new String[] {"--quick", "--jvm-options", "none"}).zeroconfSizes);
        assertEquals(List.of(), Options.parse(new String[] {"--zeroconf-sizes", "0", "--jvm-options", "none"}).zeroconfSizes);
        assertEquals(List.of(), Options.parse(new String[] {"--zeroconf-sizes", "", "--jvm-options", "none"}).zeroconfSizes);
        assertEquals(List.of(1, 100), Options.parse(new String[] {"--zeroconf-sizes", " 1, 100 ", "--jvm-options", "none"}).zeroconfSizes);
        assertEquals(List.of(100), Options.sizeList("0,100,"));
        try {
            Options.sizeList("-1");
            throw new AssertionError("a negative size was accepted");
        } catch (IllegalArgumentException expected) {
            // as it should
        }
    }

    @Test
    public void theHundredDeviceTargetIsJudgedOnThePythonBurst() {
        Options o = Options.parse(new String[] {"--jvm-options", "none"});
        Results r = new Results(o);
        Burst sim = new Burst(100);
        for (int i = 0; i < 100; i++) {
            sim.latencies.add(4.0 + i / 100.0);
            sim.mdnsSeconds.add(3.9);
        }
        r.bursts.add(sim);
        // the simulator's slow 100-burst alone: no miss, but not judged either
        assertTrue(ReportFindings.misses(r, o).stream().noneMatch(m -> m.contains("100")));
        assertNull(ReportFindings.zeroconf100(r));

        Burst single = new Burst(1);
        single.bursts = 5;
        single.zeroconf = true;
        Burst zc = new Burst(100);
        zc.zeroconf = true;
        for (int i = 0; i < 100; i++) {
            zc.latencies.add(0.7 + i / 1000.0);
            zc.mdnsSeconds.add(0.45);
            zc.wireSeconds.add(0.4);
        }
        zc.httpPairSeconds = 0.01;
        r.zeroconfBursts.add(single);
        r.zeroconfBursts.add(zc);
        assertEquals(zc, ReportFindings.zeroconf100(r));
        List<String> misses = ReportFindings.misses(r, o);
        assertEquals(misses.toString(), 1, misses.stream().filter(m -> m.contains("python-zeroconf")).count());
        assertTrue(misses.toString(), misses.get(0).contains("0.460"));

        zc.latencies.replaceAll(v -> v - 0.3);
        assertTrue(ReportFindings.misses(r, o).stream().noneMatch(m -> m.contains("python-zeroconf")));
    }

    @Test
    public void cdfStepsStartAtTheOriginAndCountLostDevices() {
        assertEquals(List.of(0.0, 0.1, 0.2, 0.3), box(Charts.cdfX(List.of(0.3, 0.1, 0.2))));
        assertEquals(List.of(0.0, 25.0, 50.0, 75.0), box(Charts.cdfY(3, 4)));
    }

    private static List<Double> box(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }
}
