package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

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
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.StatusChange;

/** The store on embedded H2 and on PostgreSQL (skipped without a test server, see {@link TestDatabase}). */
@RunWith(Parameterized.class)
public class JdbcDeviceStoreTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Parameterized.Parameters(name = "{0}")
    public static List<String> databases() {
        return List.of("h2", "postgresql");
    }

    @Parameterized.Parameter
    public String database;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestDatabase db;
    private JdbcDeviceStore store;
    private final List<JdbcDeviceStore> others = new ArrayList<>();

    @Before
    public void open() {
        db = TestDatabase.of(database, folder.getRoot().toPath());
        store = db.store("gw-a");
    }

    @After
    public void close() {
        others.forEach(JdbcDeviceStore::close);
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static Device device(String name, String... addresses) {
        return Device.introduced(name, new Communication(List.of(addresses), 5000, false, "/"),
                "{\"platform\":{\"memory\":{\"bytes\":16000000000}},\"unknownField\":[1,2.5,\"x\"]}",
                "mdns", NOW);
    }

    @Test
    public void saveEachStoresNewAndKnownDevicesInTheOrderGiven() {
        Device known = store.save(device("m-known", "127.0.0.1"));
        Device moved = device("m-known", "127.0.0.9"); // a known name without its _id: saved by name
        List<Device> stored = store.saveEach(List.of(device("z-new", "127.0.0.2"), moved, device("a-new", "127.0.0.3")));
        assertEquals(List.of("z-new", "m-known", "a-new"), stored.stream().map(Device::name).toList());
        assertEquals("a known name keeps its _id", known.id(), stored.get(1).id());
        assertEquals(List.of("127.0.0.9"), store.findById(known.id()).orElseThrow().communication().addresses());
        assertEquals(3, new HashSet<>(stored.stream().map(Device::id).toList()).size());
        for (Device device : stored) {
            assertEquals(device, store.findById(device.id()).orElseThrow());
        }
        assertEquals(3, store.count());
        assertEquals(List.of(), store.saveEach(List.of()));
    }

    @Test
    public void aFailingDeviceInSaveEachStoresNoneOfTheBatch() {
        Device tooLong = device("x".repeat(100_000), "127.0.0.1");
        assertThrowsStore(() -> store.saveEach(List.of(device("ok-1", "127.0.0.1"), tooLong)));
        assertEquals("one transaction: nothing of the batch is stored", 0, store.count());
    }

    private static void assertThrowsStore(Runnable call) {
        try {
            call.run();
        } catch (io.wasmiot.gateway.api.store.StoreException expected) {
            return;
        }
        throw new AssertionError("expected a StoreException");
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
    public void anEmbeddedDatabaseWritesEachCommitAtOnce() throws Exception {
        org.junit.Assume.assumeTrue("an H2 setting", "h2".equals(database));
        // H2's default (500 ms) acknowledged commits a kill -9 then lost
        try (com.zaxxer.hikari.HikariDataSource pool = StorePool.open(TestDatabase.h2Driver(),
                "jdbc:h2:" + folder.getRoot().toPath().resolve("delay"), "", "", 1, 5000);
             java.sql.Connection connection = pool.getConnection();
             java.sql.ResultSet row = connection.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertTrue(row.next());
            assertEquals("0", row.getString(1));
        }
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

        Device redescribed = new Device(a.id(), a.name(), a.communication(), "{\"changed\":true}",
                DeviceStatus.INACTIVE, 1, 0, a.statusLog(), health, true, a.source(), NOW);
        store.saveAll(List.of(redescribed));
        Device stored = store.findById(a.id()).orElseThrow();
        assertEquals("what a check changes is written", DeviceStatus.INACTIVE, stored.status());
        assertTrue(stored.blacklisted());
        assertEquals("the description is save's, not saveAll's", a.description(), stored.description());
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
        store = db.store("gw-a");
        assertEquals(saved, store.findById(saved.id()).orElseThrow());
    }

    @Test
    public void migrationsRunOnceAndReopeningIsANoOp() throws Exception {
        store.close();
        store = db.store("gw-a"); // every step already applied: nothing runs twice
        try (var connection = db.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rows.next());
            assertEquals(SchemaMigrations.STEPS.size(), rows.getInt(1));
            assertFalse("one row", rows.next());
        }
    }

    @Test
    public void theRowMappingNamesEveryColumnTheSchemaStepsMake() throws Exception {
        Set<String> made = new HashSet<>();
        try (var connection = db.connect();
             var rows = connection.getMetaData().getColumns(null, db.schema(),
                     "h2".equals(database) ? "DEVICE" : "device", null)) {
            while (rows.next()) {
                made.add(rows.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        Set<String> mapped = new HashSet<>();
        new DeviceTable(new JsonColumns()).columns.forEach(column -> mapped.add(column.name()));
        mapped.add("created_at"); // written once, by the insert
        mapped.add("lease_owner"); // the leases' own
        assertEquals(made, mapped);
    }

    @Test
    public void firstSavesOfTheSameNamesFromTwoGatewaysMakeOneDeviceEach() throws Exception {
        JdbcDeviceStore other = db.store("gw-b");
        others.add(other);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Callable<String[]>> saves = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int name = 0; name < 10; name++) {
                    JdbcDeviceStore gateway = (round + name) % 2 == 0 ? store : other;
                    String deviceName = "shared-" + name;
                    String address = "127.0.0." + (round + 1);
                    saves.add(() -> new String[] {deviceName, gateway.save(device(deviceName, address)).id()});
                }
            }
            java.util.Map<String, Set<String>> idsByName = new java.util.HashMap<>();
            for (Future<String[]> saved : threads.invokeAll(saves)) {
                String[] nameAndId = saved.get();
                idsByName.computeIfAbsent(nameAndId[0], n -> new HashSet<>()).add(nameAndId[1]);
            }
            assertEquals(10, idsByName.size());
            for (var entry : idsByName.entrySet()) {
                assertEquals("one _id for " + entry.getKey(), 1, entry.getValue().size());
                assertEquals(entry.getValue().iterator().next(), other.findByName(entry.getKey()).orElseThrow().id());
            }
            assertEquals(10, store.count());
        } finally {
            threads.shutdownNow();
        }
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
