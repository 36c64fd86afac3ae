package com.example.honeybee.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The few JDBC operations the repositories need, with parameters always bound, never concatenated.
 * Each call runs in its own auto-committed statement unless it is given a connection.
 */
public final class Sql {

    /** SQLState for a unique or primary key violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** The unit of work of this thread, when one is open (see {@link #begin()}); otherwise each call auto-commits. */
    private static final ThreadLocal<Connection> UNIT_OF_WORK = new ThreadLocal<>();
    /** The savepoint of the event being processed inside this thread's unit of work (see {@link #savepoint()}). */
    private static final ThreadLocal<java.sql.Savepoint> SAVEPOINT = new ThreadLocal<>();
    /** What runs once this thread's unit of work has committed (see {@link #afterCommit(Runnable)}). */
    private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

    private final DataSource dataSource;
    /** Whether claims ask PostgreSQL for custom plans; null until the first claim has looked at the database. */
    private volatile Boolean customPlans;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens a unit of work on this thread: until {@link #commit()} or {@link #rollback()}, every call of
     * this class on this thread joins one transaction. Processing an event this way commits once
     * instead of once per statement, and its effects and its "processed" mark commit together.
     */
    public void begin() {
        rollback();
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            UNIT_OF_WORK.set(connection);
        } catch (SQLException e) {
            throw new DataAccessException("begin", e);
        }
    }

    public void commit() {
        Connection connection = UNIT_OF_WORK.get();
        if (connection == null) {
            return;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            AFTER_COMMIT.remove();
            throw new DataAccessException("commit", e);
        } finally {
            close(connection);
        }
        List<Runnable> hooks = AFTER_COMMIT.get();
        AFTER_COMMIT.remove();
        if (hooks != null) {
            hooks.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code hook} once what this thread wrote is committed: at once when no unit of work is open
     * (every statement auto-committed), else after {@link #commit()}; never when the unit is rolled back.
     * Used to wake a consumer (the dispatcher, the outbox) only when the work it looks for is visible.
     */
    public void afterCommit(Runnable hook) {
        if (UNIT_OF_WORK.get() == null) {
            hook.run();
            return;
        }
        List<Runnable> hooks = AFTER_COMMIT.get();
        if (hooks == null) {
            hooks = new ArrayList<>();
            AFTER_COMMIT.set(hooks);
        }
        hooks.add(hook);
    }

    /**
     * Marks a savepoint in this thread's unit of work (one per event of a batch): {@link #rollbackToSavepoint()}
     * then undoes only what came after it. Without an open unit of work this does nothing.
     */
    public void savepoint() {
        Connection connection = UNIT_OF_WORK.get();
        if (connection == null) {
            return;
        }
        try {
            SAVEPOINT.set(connection.setSavepoint());
        } catch (SQLException e) {
            throw new DataAccessException("savepoint", e);
        }
    }

    /** Keeps what was written since {@link #savepoint()} as part of the unit of work. */
    public void releaseSavepoint() {
        endSavepoint("release savepoint", Connection::releaseSavepoint);
    }

    /** Undoes what was written since {@link #savepoint()}; the rest of the unit of work stays. */
    public void rollbackToSavepoint() {
        endSavepoint("rollback to savepoint", Connection::rollback);
    }

    private interface SavepointEnd {
        void end(Connection connection, java.sql.Savepoint savepoint) throws SQLException;
    }

    /** Ends this thread's savepoint one way or the other; nothing when there is none or no unit of work. */
    private void endSavepoint(String what, SavepointEnd end) {
        java.sql.Savepoint savepoint = SAVEPOINT.get();
        SAVEPOINT.remove();
        Connection connection = UNIT_OF_WORK.get();
        if (savepoint == null || connection == null) {
            return;
        }
        try {
            end.end(connection, savepoint);
        } catch (SQLException e) {
            throw new DataAccessException(what, e);
        }
    }

    /** Whether this thread has a unit of work open. */
    public boolean inUnitOfWork() {
        return UNIT_OF_WORK.get() != null;
    }

    /** Abandons this thread's unit of work, if any. */
    public void rollback() {
        Connection connection = UNIT_OF_WORK.get();
        AFTER_COMMIT.remove();
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is closed below either way; nothing of the unit of work was committed
        } finally {
            close(connection);
        }
    }

    private static void close(Connection connection) {
        UNIT_OF_WORK.remove();
        SAVEPOINT.remove();
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            // the pool discards a connection it cannot reset
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs on this thread's unit of work when one is open, else on a connection of its own (auto-commit). */
    private <T> T withConnection(String sql, Work<T> work) {
        Connection current = UNIT_OF_WORK.get();
        try {
            if (current != null) {
                return work.run(current);
            }
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        } catch (SQLException e) {
            throw new DataAccessException(sql, e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    public interface InTransaction<T> {
        T run(Connection connection) throws SQLException;
    }

    public int update(String sql, Object... params) {
        return withConnection(sql, connection -> update(connection, sql, params));
    }

    /** Runs one statement for each row of parameters as a JDBC batch: one prepared statement, one round trip. */
    public static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        }
    }

    /**
     * Inserts a row; answers false instead of failing when the row's unique key already exists. Inside a
     * unit of work the insert runs under a savepoint: PostgreSQL would otherwise abort the transaction.
     */
    public boolean insertIfAbsent(String sql, Object... params) {
        return withConnection(sql, connection -> {
            boolean inUnit = !connection.getAutoCommit();
            java.sql.Savepoint savepoint = inUnit ? connection.setSavepoint() : null;
            try {
                int inserted = update(connection, sql, params);
                if (savepoint != null) {
                    connection.releaseSavepoint(savepoint);
                }
                return inserted > 0;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                if (savepoint != null) {
                    connection.rollback(savepoint);
                }
                return false;
            }
        });
    }

    /**
     * Updates a row, or inserts it when it does not exist yet. A concurrent insert of the same key
     * makes the insert fail; the update then runs once more and wins.
     */
    public void upsert(String updateSql, Object[] updateParams, String insertSql, Object[] insertParams) {
        if (update(updateSql, updateParams) > 0) {
            return;
        }
        if (!insertIfAbsent(insertSql, insertParams)) {
            update(updateSql, updateParams);
        }
    }

    /** Runs one INSERT into a table whose key column is {@code id} (an identity) and answers the generated id. */
    public long insertReturningId(String sql, Object... params) {
        return withConnection(sql, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql, new String[] {"id"})) {
                bind(statement, params);
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key", "HY000");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(sql, connection -> query(connection, sql, mapper, params));
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public long count(String sql, Object... params) {
        return queryOne(sql, row -> row.getLong(1), params).orElse(0L);
    }

    /** Runs the work in a transaction of its own, or as part of this thread's unit of work when one is open. */
    public <T> T inTransaction(InTransaction<T> work) {
        Connection current = UNIT_OF_WORK.get();
        if (current != null) {
            try {
                return work.run(current);
            } catch (SQLException e) {
                throw new DataAccessException("transaction", e);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DataAccessException("transaction", e);
        }
    }

    /**
     * Claims rows for a worker, as competing consumers do: in one transaction, selects the candidates with
     * {@code FOR UPDATE SKIP LOCKED} (rows another worker is claiming right now are skipped, not waited
     * for) and writes the worker's lease on each. The select must end with its ORDER BY and row limit;
     * the lease update takes the key as its last parameter.
     */
    public <K> List<K> claim(String select, Object[] selectParams, RowMapper<K> key, String leaseUpdate, Object[] leaseParams) {
        return claim(select, selectParams, key, k -> k, leaseUpdate, leaseParams);
    }

    /**
     * As {@link #claim(String, Object[], RowMapper, String, Object[])}, answering whole rows: {@code keyOf} gives
     * the key the lease update takes. The leases are written as one JDBC batch (one round trip on PostgreSQL).
     */
    public <T> List<T> claim(String select, Object[] selectParams, RowMapper<T> row, java.util.function.Function<T, Object> keyOf,
                             String leaseUpdate, Object[] leaseParams) {
        return inTransaction(connection -> {
            planForTheTableAsItIsNow(connection);
            List<T> rows = query(connection, select + " FOR UPDATE SKIP LOCKED", row, selectParams);
            if (rows.isEmpty()) {
                return rows;
            }
            try (PreparedStatement statement = connection.prepareStatement(leaseUpdate)) {
                for (T claimed : rows) {
                    Object[] params = java.util.Arrays.copyOf(leaseParams, leaseParams.length + 1);
                    params[leaseParams.length] = keyOf.apply(claimed);
                    bind(statement, params);
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                throw new DataAccessException(leaseUpdate, e);
            }
            return rows;
        });
    }

    /**
     * PostgreSQL 12+: the claim is planned at each execution for the table as it is then. A claim runs thousands of
     * times on one connection, so pgjdbc prepares it on the server and PostgreSQL may settle on a generic plan made
     * while the inbox was nearly empty; with statistics not yet gathered (autovacuum off, or not yet run) that plan
     * read the table once per pending row: one claim over an 18,000-event backlog ran for minutes (the harness's
     * full PostgreSQL pass). {@code SET LOCAL} ends with the claim's transaction; H2 plans every execution anyway.
     */
    private void planForTheTableAsItIsNow(Connection connection) throws SQLException {
        Boolean postgres12 = customPlans;
        if (postgres12 == null) {
            var meta = connection.getMetaData();
            postgres12 = meta.getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")
                    && meta.getDatabaseMajorVersion() >= 12;
            customPlans = postgres12;
        }
        if (postgres12) {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            }
        }
    }

    public static OffsetDateTime timestamp(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class);
    }

    private static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            if (value instanceof Instant instant) {
                statement.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
            } else if (value instanceof Timestamp timestamp) {
                statement.setTimestamp(i + 1, timestamp);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /**
     * A failed statement. Its message names the statement's purpose and the SQLState only: driver
     * messages can quote the values that were bound, and those may be PHI.
     */
    public static final class DataAccessException extends RuntimeException {
        private final String sqlState;

        DataAccessException(String sql, SQLException cause) {
            super("database error (SQLState " + cause.getSQLState() + ") in: " + firstWords(sql));
            this.sqlState = cause.getSQLState();
        }

        public boolean isUniqueViolation() {
            return UNIQUE_VIOLATION.equals(sqlState);
        }

        public String sqlState() {
            return sqlState;
        }

        private static String firstWords(String sql) {
            String flat = sql.replaceAll("\\s+", " ").trim();
            return flat.length() > 60 ? flat.substring(0, 60) + "..." : flat;
        }
    }
}
