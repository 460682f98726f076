package io.wasmiot.gateway.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmiot.bench.jmh.Devices;
import io.wasmiot.gateway.api.model.Device;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The body of {@code GET /file/device}: the REST bundle's own {@link DeviceJson} (package-private,
 * hence this class's package) writing the device list, as {@code DeviceServlet} does, into a
 * reused buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DeviceJsonBenchmark {
    @Param({"1000"})
    int devices;

    private DeviceJson json;
    private List<Device> list;
    private ByteArrayOutputStream out;

    @Setup
    public void setUp() {
        json = new DeviceJson(new ObjectMapper().getFactory());
        list = Devices.make(devices);
        out = new ByteArrayOutputStream(devices * 2048);
    }

    /** Returns the body size, so the work cannot be dropped. */
    @Benchmark
    public int writeList() throws Exception {
        out.reset();
        json.writeList(list, out);
        return out.size();
    }
}
