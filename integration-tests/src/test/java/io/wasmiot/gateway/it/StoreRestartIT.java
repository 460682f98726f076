package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.inject.Inject;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * One framework per method (PerMethod), both on the same data folder: what the first framework
 * stored, the second finds, with the same {@code _id}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StoreRestartIT {
    private static final String DATA = "restart-it";

    @Inject
    private DeviceStore store;

    @Configuration
    public Option[] config() {
        return GatewayOptions.gateway(DATA);
    }

    private static Path expectationFile() {
        return Path.of(System.getProperty("wasmiot.it.dir", "target/it")).toAbsolutePath()
                .resolve(DATA + "-expected.txt");
    }

    private static Device expected(String id) {
        Instant seen = Instant.parse("2026-11-25T10:00:00.123Z");
        return new Device(id, "restart-survivor", new Communication(List.of("127.0.0.7", "::1"), 5007, true, "/"),
                "{\"supervisorInterfaces\":[\"print\"],\"odd\":{\"nested\":[null,true]}}",
                io.wasmiot.gateway.api.model.DeviceStatus.ACTIVE, 0, 3,
                Device.introduced("x", new Communication(List.of("127.0.0.1"), 1), "{}", "register", seen)
                        .statusLog(),
                new Health("{\"cpuUsage\":0.25}", seen.plus(15, ChronoUnit.SECONDS)), false, "register",
                seen);
    }

    @Test
    public void a_storeBeforeRestart() throws Exception {
        store.deleteAll();
        Device saved = store.save(expected(null));
        Files.writeString(expectationFile(), saved.id());
    }

    @Test
    public void b_findAfterRestart() throws Exception {
        assertTrue("the first method ran and wrote its expectation", Files.exists(expectationFile()));
        String id = Files.readString(expectationFile());
        // The discovery core of this framework checks the device at once (it does not answer, so its
        // counters and health move): what the store kept is everything the core does not rewrite.
        Device expected = expected(id);
        Device found = store.findByName("restart-survivor").orElseThrow();
        assertEquals(expected.id(), found.id());
        assertEquals(expected.communication(), found.communication());
        assertEquals(expected.description(), found.description());
        assertEquals(expected.statusLog(), found.statusLog());
        assertEquals(expected.source(), found.source());
        assertEquals(expected.lastSeen(), found.lastSeen());
        assertEquals(1, store.count());
        Files.delete(expectationFile());
    }
}
