package io.wasmiot.gateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This JVM's resource figures as {@link SwapLeakIT} judges them: threads (in all, per pool name and
 * mDNS), file descriptors and sockets, heap after GC, loaded classes.
 */
record JvmFigures(int threads, int fds, int sockets, int mdnsThreads, long heapUsed, int loadedClasses,
                  Map<String, Integer> threadsByName) {
    static final String HC_POOL = "Felix HC executor (hc-thread-#, HealthCheck *)";
    static final String EVENT_ADMIN_POOL = "Felix EventAdmin (EventAdminThread #, EventAdminAsyncThread #)";

    String line() {
        return String.format("threads %d (mDNS %d), fds %d (sockets %d), heap after GC %.1f MiB, classes %d",
                threads, mdnsThreads, fds, sockets, heapUsed / 1048576.0, loadedClasses);
    }

    static JvmFigures measure() {
        System.gc();
        System.gc();
        Map<String, Integer> byName = new TreeMap<>();
        int jmdns = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            byName.merge(poolName(name), 1, Integer::sum);
            if (name.startsWith("wasmiot-mdns")) {
                jmdns++;
            }
        }
        int fds = 0;
        int sockets = 0;
        try (Stream<Path> links = Files.list(Path.of("/proc/self/fd"))) {
            for (Path link : links.toList()) {
                fds++;
                try {
                    if (Files.readSymbolicLink(link).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException e) {
                    // closed meanwhile (the listing's own descriptor, say)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        return new JvmFigures(Thread.getAllStackTraces().size(), fds, sockets, jmdns, heap, classes, byName);
    }

    /**
     * A thread's name with its numbers as {@code #}. Felix HC's executor threads rename themselves as
     * they work ({@code hc-thread-N}, {@code HealthCheck <check>} while running one,
     * {@code HealthCheck-idle} after): they are one pool, counted under one name.
     */
    private static String poolName(String name) {
        if (name.startsWith("HealthCheck") || name.startsWith("hc-thread-")) {
            return HC_POOL;
        }
        if (name.startsWith("EventAdmin")) {
            return EVENT_ADMIN_POOL;
        }
        return name.replaceAll("\\d+", "#");
    }
}
