package io.wasmiot.lib.jdbc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.Test;

/** The calls one transaction makes on its connection, recorded by a fake one. */
public class TransactionsTest {
    private final List<String> calls = new ArrayList<>();
    /** Connection methods that throw, by name. */
    private final Set<String> failing = new HashSet<>();
    private boolean autoCommit;

    private final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                String name = method.getName();
                if (name.equals("getAutoCommit")) {
                    return autoCommit;
                }
                calls.add(args == null ? name : name + "(" + args[0] + ")");
                if (failing.contains(name)) {
                    throw new SQLException(name + " failed");
                }
                if (name.equals("setAutoCommit")) {
                    autoCommit = (Boolean) args[0];
                }
                return null;
            });

    private final DataSource source = new DataSource() {
        @Override
        public Connection getConnection() throws SQLException {
            if (failing.contains("getConnection")) {
                throw new SQLException("no connection");
            }
            return connection;
        }

        @Override
        public Connection getConnection(String user, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return null;
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    };

    private static IllegalStateException wrapped(SQLException e) {
        return new IllegalStateException("test store: " + e.getMessage(), e);
    }

    @Test
    public void theWorkIsCommittedOutOfAutocommitWhichIsPutBack() {
        autoCommit = true;
        String result = Transactions.inTransaction(source, c -> {
            calls.add("work, autocommit " + autoCommit);
            return "done";
        }, TransactionsTest::wrapped);
        assertEquals("done", result);
        assertEquals(List.of("setAutoCommit(false)", "work, autocommit false", "commit", "setAutoCommit(true)",
                "close"), calls);
    }

    @Test
    public void aConnectionHandedOutOfAutocommitIsLeftSo() {
        autoCommit = false;
        Transactions.inTransaction(source, c -> null, TransactionsTest::wrapped);
        assertEquals(List.of("commit", "close"), calls);
    }

    @Test
    public void anSqlFailureRollsBackAndIsThrownAsTheCallersException() {
        autoCommit = true;
        SQLException cause = new SQLException("duplicate name", "23505");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Transactions.inTransaction(source, c -> {
                    throw cause;
                }, TransactionsTest::wrapped));
        assertSame("the SQLState stays readable through the cause", cause, thrown.getCause());
        assertEquals("test store: duplicate name", thrown.getMessage());
        assertEquals(List.of("setAutoCommit(false)", "rollback", "setAutoCommit(true)", "close"), calls);
    }

    @Test
    public void aRuntimeFailureRollsBackAndIsThrownAsItIs() {
        IllegalArgumentException failure = new IllegalArgumentException("bad device");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Transactions.inTransaction(source, c -> {
                    throw failure;
                }, TransactionsTest::wrapped));
        assertSame(failure, thrown);
        assertEquals(List.of("rollback", "close"), calls);
    }

    @Test
    public void anErrorRollsBackToo() {
        assertThrows(AssertionError.class, () -> Transactions.inTransaction(source, c -> {
            throw new AssertionError("boom");
        }, TransactionsTest::wrapped));
        assertEquals(List.of("rollback", "close"), calls);
    }

    @Test
    public void aFailedCommitRollsBack() {
        failing.add("commit");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Transactions.inTransaction(source, c -> 1, TransactionsTest::wrapped));
        assertEquals("test store: commit failed", thrown.getMessage());
        assertEquals(List.of("commit", "rollback", "close"), calls);
    }

    @Test
    public void aFailedRollbackIsSuppressedUnderTheFirstFailure() {
        autoCommit = true;
        failing.add("rollback");
        SQLException cause = new SQLException("deadlock");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Transactions.inTransaction(source, c -> {
                    throw cause;
                }, TransactionsTest::wrapped));
        assertSame(cause, thrown.getCause());
        assertEquals("rollback failed", cause.getSuppressed()[0].getMessage());
        assertEquals("autocommit put back even so", List.of("setAutoCommit(false)", "rollback",
                "setAutoCommit(true)", "close"), calls);
    }

    @Test
    public void noConnectionIsThrownAsTheCallersException() {
        failing.add("getConnection");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Transactions.inTransaction(source, c -> {
                    throw new AssertionError("no work without a connection");
                }, TransactionsTest::wrapped));
        assertEquals("test store: no connection", thrown.getMessage());
        assertEquals(List.of(), calls);
    }
}
