package io.wasmiot.gateway.store.internal;

import io.wasmiot.bench.jmh.Devices;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Health;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The store bundle's {@link JdbcDeviceStore} (package-private constructor, hence this package) on
 * an embedded H2 file database in a temporary folder, as the gateway opens it, holding
 * {@code devices} devices: the reads REST and the core do, one sweep's writes as one
 * {@code saveAll} batch against {@code devices} single {@code save} calls, one sweep's lease round (H2's),
 * and a burst of {@value #BURST} introductions as one group commit ({@code saveEach}) against
 * {@value #BURST} single saves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {
    static final int BURST = 100;

    @Param({"1000"})
    int devices;

    private Path dir;
    private JdbcDeviceStore store;
    private List<Device> stored;
    private List<String> ids;
    private int round;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("wasmiot-jmh-store");
        store = new JdbcDeviceStore("jmh-gateway", StorePool.open(new org.h2.util.OsgiDataSourceFactory(org.h2.Driver.load()), "jdbc:h2:" + dir.resolve("devices"), "", "", 8, 5000));
        stored = new ArrayList<>();
        ids = new ArrayList<>();
        for (Device d : Devices.make(devices)) {
            Device s = store.save(d);
            stored.add(s);
            ids.add(s.id());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Every stored device checked once more: the writes of one health sweep. */
    private List<Device> checkedOnce() {
        Instant now = Instant.now();
        int n = ++round;
        List<Device> out = new ArrayList<>(stored.size());
        for (Device d : stored) {
            out.add(d.withHealthCheck(new Health(Devices.HEALTH, now), 0, 1 + n % 1000));
        }
        return out;
    }

    /**
     * A burst of new devices to introduce, fresh names each invocation, removed again after it
     * (outside the measured time, and only around the benchmarks that use a burst).
     */
    @State(Scope.Thread)
    public static class Burst {
        List<Device> newcomers;
        private int n;

        @Setup(Level.Invocation)
        public void make() {
            n++;
            Instant now = Instant.now();
            newcomers = new ArrayList<>(BURST);
            for (Device d : Devices.make(BURST)) {
                newcomers.add(Device.introduced("new-" + n + "-" + d.name(), d.communication(), d.description(),
                        d.source(), now));
            }
        }

        @TearDown(Level.Invocation)
        public void remove(StoreBenchmark benchmark) {
            for (Device d : newcomers) {
                benchmark.store.findByName(d.name()).ifPresent(stored -> benchmark.store.delete(stored.id()));
            }
        }
    }

    /** A burst's introductions as they were stored before the group commit: one transaction each. */
    @Benchmark
    public int introduceEachSingly(Burst burst) {
        int n = 0;
        for (Device d : burst.newcomers) {
            store.save(d);
            n++;
        }
        return n;
    }

    /** The same introductions in one group commit, as the core's writer stores a burst. */
    @Benchmark
    public int introduceGrouped(Burst burst) {
        return store.saveEach(burst.newcomers).size();
    }

    /**
     * One sweep's lease round on the embedded H2: the H2 store's own round, in which this gateway
     * owns every stored device (the lease rounds between gateways are the cluster bundle's, on PostgreSQL).
     */
    @Benchmark
    public int leaseRound() {
        return store.storedIds().size();
    }

    @Benchmark
    public List<Device> findAll() {
        return store.findAll();
    }

    @Benchmark
    public Object findById() {
        return store.findById(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
    }

    /** One sweep's writes in one batch (one transaction, one prepared statement). */
    @Benchmark
    public int saveAllBatch() {
        return store.saveAll(checkedOnce()).size();
    }

    /** The same writes as {@code devices} single saves (a transaction each). */
    @Benchmark
    public int saveEachSingly() {
        int n = 0;
        for (Device d : checkedOnce()) {
            store.save(d);
            n++;
        }
        return n;
    }
}
