package io.wasmiot.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class StatsTest {
    @Test
    public void nearestRankPercentiles() {
        List<Double> v = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertEquals(5.0, Stats.percentile(v, 50), 0);
        assertEquals(10.0, Stats.percentile(v, 95), 0);
        assertEquals(1.0, Stats.percentile(v, 1), 0);
        assertEquals(10.0, Stats.max(v), 0);
        assertEquals(7.0, Stats.percentile(List.of(7.0), 95), 0);
        assertTrue(Double.isNaN(Stats.percentile(List.of(), 50)));
    }

    @Test
    public void medianOfEvenAndOdd() {
        assertEquals(2.5, Stats.median(4, 1, 2, 3), 0);
        assertEquals(2.0, Stats.median(3, 1, 2), 0);
    }

    @Test
    public void parsesMetricsAndHeapInfo() {
        String metrics = "# TYPE x gauge\nwasmiot_health_sweep_seconds 0.125\nwasmiot_health_sweeps_total 3\n";
        assertEquals(0.125, Stats.metric(metrics, "wasmiot_health_sweep_seconds"), 0);
        assertEquals(3, Stats.metric(metrics, "wasmiot_health_sweeps_total"), 0);
        assertTrue(Double.isNaN(Stats.metric(metrics, "wasmiot_health_sweep")));
        String heap = "12345:\n garbage-first heap   total 65536K, used 20480K [0x00000000c0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 2 young (2048K), 0 survivors (0K)\n";
        assertEquals(20.0, Stats.heapUsedMiB(heap), 0);
        assertEquals(64.0, Stats.heapCommittedMiB(heap), 0);
        String serial = "1:\n def new generation   total 39296K, used 1024K [0x0, 0x0)\n"
                + "  eden space 34944K,   2% used\n tenured generation   total 87424K, used 47104K [0x0, 0x0)\n";
        assertEquals(47.0, Stats.heapUsedMiB(serial), 0);
        String snmp = "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\nUdp: 10 0 7 5 7 0\n";
        assertEquals(7, Stats.udpRcvbufErrors(snmp));
    }

    @Test
    public void mdnsDropsAreSummedByTheOwnerOfEachPort5353Socket() {
        String udp = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
                + "  10: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 111 2 0000000000000000 17\n"
                + "  11: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 222 2 0000000000000000 3\n"
                + "  12: 0100007F:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 333 2 0000000000000000 99\n"
                + "  13: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 444 2 0000000000000000 5\n";
        assertEquals(java.util.Map.of("gateway", 20L, "other", 5L),
                Stats.mdnsDropsByOwner(udp, java.util.Map.of(111L, "gateway", 222L, "gateway", 333L, "simulator")));
    }

    @Test
    public void serialHeapInfoSumsTheGenerations() {
        String info = " def new generation   total 9216K, used 1024K [0x00000000f0000000, 0x00000000f0a00000, 0x00000000f5550000)\n"
                + "  eden space 8192K,  12% used [0x00000000f0000000, 0x00000000f0100000, 0x00000000f0800000)\n"
                + " tenured generation   total 20480K, used 13312K [0x00000000f5550000, 0x00000000f6950000, 0x0000000100000000)\n"
                + " Metaspace       used 40000K, committed 41000K, reserved 1089536K\n";
        assertEquals(14.0, Stats.heapUsedMiB(info), 1e-9);
        assertEquals(29.0, Stats.heapCommittedMiB(info), 1e-9);
    }
}
