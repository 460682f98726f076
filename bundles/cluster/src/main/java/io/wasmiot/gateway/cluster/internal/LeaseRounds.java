package io.wasmiot.gateway.cluster.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.wasmiot.gateway.api.cluster.LeaseRound;

/**
 * The SQL of {@link io.wasmiot.gateway.api.cluster.DeviceLeases}: every method runs inside the caller's
 * transaction ({@link ClusterLeases} runs each round in one of its own, on the store's pool; no
 * lease statement shares a transaction with a store write). The tables (the device rows' lease
 * column, the gateway table) are the store's schema. Times are epoch milliseconds of the database's clock, read once per round, so that
 * gateways on machines whose clocks differ still agree on who is alive and which lease expired.
 *
 * <p>A device's lease is its row's {@code lease_owner}, valid while that gateway is alive (its
 * {@code gateway.alive_until}). Renewing every lease is then one row per round, the gateway's: a
 * round writes device rows only when leases change hands (a gateway joins, leaves or dies), not
 * every device at every sweep (one row write per device and sweep was as much work as storing the
 * health results themselves).
 */
final class LeaseRounds {
    /** A gateway whose liveness expired this long ago (in lease times) is removed from the table. */
    private static final int FORGET_GATEWAY_AFTER_LEASES = 100;

    /** A row whose lease is free or belongs to a gateway no longer alive (one parameter: now). */
    private static final String NOT_VALIDLY_LEASED = "lease_owner IS NULL"
            + " OR lease_owner NOT IN (SELECT gateway_id FROM gateway WHERE alive_until > ?)";

    /** PostgreSQL (row locks for several gateways), else the embedded H2 of the tests. */
    private final boolean postgres;
    private final String gatewayId;

    LeaseRounds(boolean postgres, String gatewayId) {
        this.postgres = postgres;
        this.gatewayId = gatewayId;
    }

    LeaseRound renew(Connection connection, long leaseMillis) throws SQLException {
        long now = databaseNow(connection);
        long until = now + leaseMillis;
        markAlive(connection, until);
        int live = liveGateways(connection, now, leaseMillis);

        Set<String> stored = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM device");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        int share = (stored.size() + live - 1) / live;

        // On PostgreSQL the rows this gateway holds are locked: a row another gateway is taking over
        // right now (this gateway's liveness had run out) waits for that transaction and then no
        // longer matches, so it is not counted as ours. An embedded H2 is opened by one gateway only.
        List<String> held = ids(connection, "SELECT id FROM device WHERE lease_owner = ? ORDER BY id"
                + (postgres ? " FOR UPDATE" : ""), gatewayId);
        List<String> kept = held.subList(0, Math.min(share, held.size()));
        List<String> released = held.subList(kept.size(), held.size());
        setLease(connection, released, null);

        Set<String> owned = new HashSet<>(kept);
        int wanted = share - kept.size();
        if (wanted > 0) {
            // Free leases, or leases of gateways no longer alive, lowest ids first. SKIP LOCKED: two
            // gateways taking at once each get rows the other has not locked, never the same row;
            // stillFree drops the rows another gateway took and committed while this one looked.
            List<String> locked = ids(connection, "SELECT id FROM device WHERE (" + NOT_VALIDLY_LEASED
                    + ") AND (lease_owner IS NULL OR lease_owner <> ?) ORDER BY id"
                    + " FETCH FIRST " + wanted + " ROWS ONLY FOR UPDATE" + (postgres
                    ? " SKIP LOCKED" : ""), now, gatewayId);
            List<String> free = stillFree(connection, locked, now);
            setLease(connection, free, gatewayId);
            owned.addAll(free);
        }
        stored.addAll(owned);
        return new LeaseRound(owned, stored, live);
    }

    /**
     * The rows just locked whose lease is still free, asked again in a statement of its own. Under
     * READ COMMITTED a row that another gateway took and committed after the locking statement began
     * is locked in its new version and the condition checked again, but the list of live gateways
     * inside it stays as it was when the statement began: a gateway whose first round committed
     * meanwhile is missing from it, and its fresh lease looked free. A new statement sees that
     * gateway, and no one can change the owner of a row this transaction holds.
     */
    private static List<String> stillFree(Connection connection, List<String> locked, long now) throws SQLException {
        if (locked.isEmpty()) {
            return locked;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM device WHERE id = ANY (?) AND (" + NOT_VALIDLY_LEASED + ") ORDER BY id")) {
            select.setArray(1, connection.createArrayOf("VARCHAR", locked.toArray()));
            select.setLong(2, now);
            List<String> free = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    free.add(rows.getString(1));
                }
            }
            return free;
        }
    }

    void releaseAll(Connection connection) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement(
                "UPDATE device SET lease_owner = NULL WHERE lease_owner = ?");
             PreparedStatement forget = connection.prepareStatement("DELETE FROM gateway WHERE gateway_id = ?")) {
            release.setString(1, gatewayId);
            release.executeUpdate();
            forget.setString(1, gatewayId);
            forget.executeUpdate();
        }
    }

    static long databaseNow(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void markAlive(Connection connection, long until) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE gateway SET alive_until = ? WHERE gateway_id = ?")) {
            update.setLong(1, until);
            update.setString(2, gatewayId);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO gateway (gateway_id, alive_until) VALUES (?, ?)")) {
            insert.setString(1, gatewayId);
            insert.setLong(2, until);
            insert.executeUpdate();
        }
    }

    private int liveGateways(Connection connection, long now, long leaseMillis) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM gateway WHERE alive_until < ?")) {
            forget.setLong(1, now - FORGET_GATEWAY_AFTER_LEASES * leaseMillis);
            forget.executeUpdate();
        }
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM gateway WHERE alive_until > ?")) {
            count.setLong(1, now);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return Math.max(1, rows.getInt(1)); // this gateway at least, even with a lease time of 0
            }
        }
    }

    private static List<String> ids(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private static void setLease(Connection connection, List<String> ids, String owner) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE device SET lease_owner = ? WHERE id = ?")) {
            for (String id : ids) {
                update.setString(1, owner);
                update.setString(2, id);
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
