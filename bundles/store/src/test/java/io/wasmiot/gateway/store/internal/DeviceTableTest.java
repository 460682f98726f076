package io.wasmiot.gateway.store.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The statements come from the one column list: each names every column once, in one order. */
public class DeviceTableTest {
    private final DeviceTable table = new DeviceTable(new JsonColumns());

    @Test
    public void insertHasOneParameterPerColumnAndOneForCreatedAt() {
        long parameters = table.insert.chars().filter(c -> c == '?').count();
        assertEquals(table.columns.size() + 1, parameters);
        assertEquals("INSERT INTO device (" + table.selectList + ", created_at)",
                table.insert.substring(0, table.insert.indexOf(" VALUES")));
    }

    @Test
    public void theChecksUpdateWritesOnlyWhatChecksAndOperatorsChange() {
        assertEquals("UPDATE device SET addresses = ?, status = ?, failed_count = ?, ok_count = ?, status_log = ?, "
                + "health_report = ?, health_time = ?, blacklisted = ?, last_seen = ? WHERE id = ?", table.updateChecked);
    }

    @Test
    public void theFullUpdateWritesEveryColumnAndFindsTheRowByItsId() {
        assertEquals("UPDATE device SET " + table.selectList.replace(",", " = ?,") + " = ? WHERE id = ?",
                table.updateById);
    }
}
