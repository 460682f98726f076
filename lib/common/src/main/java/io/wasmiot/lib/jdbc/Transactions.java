package io.wasmiot.lib.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

import javax.sql.DataSource;

/**
 * One unit of work in one transaction on a connection of a {@link DataSource} (a pool): the
 * connection is taken, put out of autocommit, the work run and committed; any failure of the work
 * or the commit (an exception or an error) rolls it back. Autocommit is put back as the connection
 * came, and the connection is closed (returned to its pool) in every case. A failed rollback or
 * restore is added to the failure as suppressed, never in its place.
 */
public final class Transactions {
    private Transactions() {
    }

    /** Work on the transaction's connection; it neither commits nor closes it. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and returns its result. A {@link SQLException} (of the
     * work, the commit, or taking the connection) is thrown as {@code failure} makes it (the
     * caller's own exception, the {@code SQLException} as its cause); a runtime exception or an
     * error of the work is thrown as it is.
     */
    public static <T> T inTransaction(DataSource source, SqlWork<T> work,
                                      Function<SQLException, ? extends RuntimeException> failure) {
        try (Connection connection = source.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            T result;
            try {
                result = work.run(connection);
                connection.commit();
            } catch (Throwable e) {
                rollbackAndRestore(connection, autoCommit, e);
                throw e;
            }
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
            return result;
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }

    private static void rollbackAndRestore(Connection connection, boolean autoCommit, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (autoCommit) {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
