package io.wasmiot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What the harness reads of Linux's /proc (and getconf): CPU clock ticks, load average, sockets and UDP drops. */
final class ProcFs {
    private static long clockTicks;

    private ProcFs() {
    }

    static synchronized long clockTicks() {
        if (clockTicks == 0) {
            try {
                clockTicks = Long.parseLong(Children.run(List.of("getconf", "CLK_TCK"), 10).trim());
            } catch (Exception e) {
                clockTicks = 100;
            }
        }
        return clockTicks;
    }

    /**
     * utime + stime in seconds from the text of a {@code /proc/<pid>/stat} or {@code .../task/<tid>/stat}
     * file: after "pid (comm) " the state is field 0, utime field 11 and stime field 12.
     */
    static double cpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) clockTicks();
    }

    static String loadAvg() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (Exception e) {
            return "?";
        }
    }

    /** Socket inodes of a process (from /proc/<pid>/fd links "socket:[N]"). */
    static java.util.Set<Long> socketInodes(long pid) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String l = Files.readSymbolicLink(fd).toString();
                    if (l.startsWith("socket:[")) {
                        out.add(Long.parseLong(l.substring(8, l.length() - 1)));
                    }
                } catch (Exception e) {
                    // closed meanwhile
                }
            }
        } catch (Exception e) {
            // process gone
        }
        return out;
    }

    /** mDNS socket drops (port 5353) by process: gateway, harness (floor browser, wire listener), simulator; /proc/net/udp and udp6. */
    static java.util.Map<String, Long> mdnsDrops(GatewayProcess gw, Fleet sim) {
        java.util.Map<Long, String> owners = new java.util.HashMap<>();
        socketInodes(gw.pid()).forEach(i -> owners.put(i, "gateway"));
        socketInodes(ProcessHandle.current().pid()).forEach(i -> owners.put(i, "harness (jmdns floor browser, wire listener)"));
        socketInodes(sim.pid()).forEach(i -> owners.put(i, sim.label()));
        try {
            // the JVM's sockets are dual-stack: they are listed in udp6, jmdns's IPv4-only ones in udp
            String text = Files.readString(Path.of("/proc/net/udp"))
                    + (Files.exists(Path.of("/proc/net/udp6")) ? "\n" + Files.readString(Path.of("/proc/net/udp6")) : "");
            return Stats.mdnsDropsByOwner(text, owners);
        } catch (Exception e) {
            return java.util.Map.of();
        }
    }

    static long udpDrops() {
        try {
            return Stats.udpRcvbufErrors(Files.readString(Path.of("/proc/net/snmp")));
        } catch (Exception e) {
            return -1;
        }
    }
}
