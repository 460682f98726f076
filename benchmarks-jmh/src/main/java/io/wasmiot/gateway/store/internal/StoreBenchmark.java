package io.wasmiot.gateway.store.internal;

import io.wasmiot.bench.jmh.Devices;
import io.wasmiot.gateway.api.Device;
import io.wasmiot.gateway.api.Health;
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
 * {@code devices} devices: the reads REST and the core do, and one sweep's writes as one
 * {@code saveAll} batch against {@code devices} single {@code save} calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {
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
        store = new JdbcDeviceStore(JdbcDeviceStore.openPool("jdbc:h2:" + dir.resolve("devices"), "", "", 8, 5000));
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
