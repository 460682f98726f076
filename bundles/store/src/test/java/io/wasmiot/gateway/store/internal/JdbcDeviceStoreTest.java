package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.wasmiot.gateway.api.Communication;
import io.wasmiot.gateway.api.Device;
import io.wasmiot.gateway.api.DeviceSource;
import io.wasmiot.gateway.api.DeviceStatus;
import io.wasmiot.gateway.api.Health;
import io.wasmiot.gateway.api.StatusChange;

public class JdbcDeviceStoreTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private JdbcDeviceStore store;

    @Before
    public void open() {
        store = openOn(folder.getRoot().toPath());
    }

    @After
    public void close() {
        store.close();
    }

    private static JdbcDeviceStore openOn(Path dir) {
        return new JdbcDeviceStore(JdbcDeviceStore.openPool("jdbc:h2:" + dir.resolve("devices"), "", "", 4, 5000), "gw-test");
    }

    private static Device device(String name, String... addresses) {
        return Device.introduced(name, new Communication(List.of(addresses), 5000, false, "/"),
                "{\"platform\":{\"memory\":{\"bytes\":16000000000}},\"unknownField\":[1,2.5,\"x\"]}",
                DeviceSource.MDNS, NOW);
    }

    @Test
    public void firstSaveAssignsAnIdThatLaterSavesByNameKeep() {
        Device first = store.save(device("d1", "127.0.0.1"));
        assertTrue(Device.isValidId(first.id()));

        Device moved = store.save(device("d1", "127.0.0.2", "::1"));
        assertEquals(first.id(), moved.id());
        assertEquals(List.of("127.0.0.2", "::1"), store.findById(first.id()).orElseThrow().communication().addresses());
        assertEquals(1, store.count());
    }

    @Test
    public void everyFieldRoundTripsVerbatim() {
        Device saved = store.save(device("d1", "127.0.0.1"));
        Device checked = saved
                .withHealthCheck(new Health("{\"cpuUsage\":3.1,\"memoryUsage\":0.42}", NOW.plusSeconds(15)), 0, 17)
                .withStatus(new StatusChange(DeviceStatus.INACTIVE, NOW.plusSeconds(20), "blacklisted"), 50)
                .withBlacklisted(true)
                .withCommunication(new Communication(List.of("fe80::1%lo"), 443, true, "/x"));
        store.save(checked);
        assertEquals(checked, store.findByName("d1").orElseThrow());
        assertEquals(checked, store.findByIdOrName(saved.id()).orElseThrow());
    }

    @Test
    public void failedHealthIsStoredWithoutReport() {
        Device saved = store.save(device("d1", "127.0.0.1").withHealthCheck(new Health(null, NOW), 1, 0));
        Health health = store.findById(saved.id()).orElseThrow().health();
        assertNotNull(health);
        assertNull(health.report());
        assertEquals(NOW, health.timeOfQuery());
    }

    @Test
    public void deleteOneAndDeleteAll() {
        Device a = store.save(device("a", "127.0.0.1"));
        store.save(device("b", "127.0.0.1"));
        store.save(device("c", "127.0.0.1"));
        assertTrue(store.delete(a.id()));
        assertFalse(store.delete(a.id()));
        assertEquals(List.of("b", "c"), store.findAll().stream().map(Device::name).toList());
        assertEquals(2, store.deleteAll());
        assertEquals(0, store.count());
    }

    @Test
    public void saveAllUpdatesStoredDevicesInOneGoAndSkipsDeletedOnes() {
        Device a = store.save(device("a", "127.0.0.1"));
        Device b = store.save(device("b", "127.0.0.1"));
        store.delete(b.id());
        Health health = new Health("{\"cpuUsage\":0.5}", NOW);
        Device checkedA = new Device(a.id(), a.name(), a.communication(), a.description(), DeviceStatus.ACTIVE, 0, 1,
                a.statusLog(), health, false, a.source(), NOW);
        Device checkedB = new Device(b.id(), b.name(), b.communication(), b.description(), DeviceStatus.ACTIVE, 0, 1,
                b.statusLog(), health, false, b.source(), NOW);
        assertEquals(Set.of(a.id()), store.saveAll(List.of(checkedA, checkedB)));
        assertEquals(checkedA, store.findById(a.id()).orElseThrow());
        assertFalse("a deleted device is not re-created", store.findById(b.id()).isPresent());
        assertEquals(Set.of(), store.saveAll(List.of()));
    }

    @Test
    public void savingADeviceDeletedMeanwhileRestoresItUnderItsId() {
        Device saved = store.save(device("d1", "127.0.0.1"));
        store.delete(saved.id());
        store.save(saved);
        assertEquals(saved.id(), store.findByName("d1").orElseThrow().id());
    }

    @Test
    public void devicesSurviveReopeningTheDatabase() {
        Device saved = store.save(device("d1", "127.0.0.1"));
        store.close();
        store = openOn(folder.getRoot().toPath());
        assertEquals(saved, store.findById(saved.id()).orElseThrow());
    }

    @Test
    public void concurrentFirstSavesOfOneNameMakeOneDevice() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> saves = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String address = "127.0.0." + (i + 1);
                saves.add(() -> store.save(device("same", address)).id());
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> id : pool.invokeAll(saves)) {
                ids.add(id.get());
            }
            assertEquals(1, ids.size());
            assertEquals(1, store.count());
        } finally {
            pool.shutdownNow();
        }
    }
}
