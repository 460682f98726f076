package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LookupCache;

import io.wasmiot.gateway.api.model.DeviceStatus;
import io.wasmiot.gateway.api.model.StatusChange;

public class JsonColumnsTest {
    @Test
    public void columnsRoundTrip() {
        JsonColumns columns = new JsonColumns();
        List<StatusChange> log = List.of(new StatusChange(DeviceStatus.INACTIVE, Instant.ofEpochMilli(1234), "gone"));
        assertEquals(log, columns.readStatusLog(columns.writeStatusLog(log)));
        assertEquals(List.of("10.0.0.1", "[fe80::1%eth0]"),
                columns.readAddresses(columns.writeAddresses(List.of("10.0.0.1", "[fe80::1%eth0]"))));
    }

    /** Jackson's default type cache is static in its bundle: a type of ours there outlives our bundle revision. */
    @Test
    public void nothingOfOursGoesIntoJacksonsSharedTypeCache() throws Exception {
        TypeFactory shared = TypeFactory.defaultInstance();
        shared.clearCache();
        JsonColumns columns = new JsonColumns();
        columns.readStatusLog(columns.writeStatusLog(
                List.of(new StatusChange(DeviceStatus.ACTIVE, Instant.ofEpochMilli(1), "back"))));
        columns.readAddresses(columns.writeAddresses(List.of("10.0.0.1")));
        Field cache = TypeFactory.class.getDeclaredField("_typeCache");
        cache.setAccessible(true);
        assertEquals(0, ((LookupCache<?, ?>) cache.get(shared)).size());
    }
}
