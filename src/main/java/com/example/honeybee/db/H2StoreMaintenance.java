package com.example.honeybee.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file bounded while the bundle runs, without giving up the durable acknowledgement
 * ({@code WRITE_DELAY=0}: every commit is written before the 200). With a write delay of zero H2 never runs
 * its background writer, which is also what compacts the file, so every commit's chunk stays until close
 * (about 70 KiB per event before batches; BENCHMARKS.md). The route {@code honeybee-h2-store-maintenance}
 * calls {@link #maintainIfQuiet()} periodically, on H2 only. Every time, under load too, it rewrites the
 * live pages of sparse chunks ({@code MVStore.compact}, at most {@value #REWRITE_BYTES} bytes a time: their
 * chunks are then free once H2's retention time has passed, so the file's space is reused instead of
 * grown); in a quiet period (the dispatcher keeps up), and only when less than {@value #SHRINK_BELOW_FILL_RATE}%
 * of the file is in use, it also moves chunks to shrink the file within a time budget
 * ({@code MVStore.compactFile}, which holds the store and so delays the commits beside it: done rarely, it
 * stays out of the end-to-end latency's tail). Chunks still inside H2's retention time are never overwritten,
 * so a crash recovers as before. H2 offers no SQL command for this while the database is open, so the one
 * call into H2's own store API is here (H2 2.3; {@code SHUTDOWN COMPACT} is the offline equivalent).
 */
public class H2StoreMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(H2StoreMaintenance.class);

    /** The most live data one rewrite copies: bounds how long it delays the commits beside it. */
    static final int REWRITE_BYTES = 4 * 1024 * 1024;

    /** The file is shrunk (in a quiet period) only when less of it than this percentage is in use. */
    static final int SHRINK_BELOW_FILL_RATE = 50;

    private final Sql sql;
    private final DataSource dataSource;
    private final boolean h2;
    private final int targetFillRate;
    private final int compactMillis;
    private final int quietBacklog;

    /**
     * @param targetFillRate chunks fuller than this percentage are left alone
     * @param compactMillis  the longest a file compaction may hold the store (writers wait meanwhile)
     * @param quietBacklog   the backlog (pending events) below which the bundle counts as quiet
     */
    public H2StoreMaintenance(Sql sql, boolean h2, int targetFillRate, int compactMillis, int quietBacklog) {
        this.quietBacklog = quietBacklog;
        this.sql = sql;
        this.dataSource = sql.dataSource();
        this.h2 = h2;
        this.targetFillRate = targetFillRate;
        this.compactMillis = compactMillis;
    }

    /**
     * Rewrites sparse chunks always, so the file's free space is reused under sustained load too; shrinks the
     * file only when the bundle is quiet and less than half of the file is in use (quiet: fewer events waiting in the inbox than {@code quietBacklog}: the
     * dispatcher keeps up), so the time a file compaction holds the store never lands on a backlog. Answers
     * the file's size afterwards, -1 when not on an H2 file database.
     */
    public long maintainIfQuiet() throws SQLException {
        if (!h2) {
            return -1;
        }
        boolean quiet = sql.count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") < quietBacklog;
        try (Connection connection = dataSource.getConnection()) {
            return H2Store.rewrite(connection, targetFillRate, quiet ? compactMillis : 0);
        }
    }

    /** Compacts the store; answers the file's size in bytes afterwards, or -1 when not on an H2 file database. */
    public long maintain() throws SQLException {
        if (!h2) {
            return -1;
        }
        try (Connection connection = dataSource.getConnection()) {
            return H2Store.compact(connection, targetFillRate, compactMillis);
        }
    }

    /** The size of the H2 file in bytes, or -1 when not on an H2 file database. */
    public long fileSize() throws SQLException {
        if (!h2) {
            return -1;
        }
        try (Connection connection = dataSource.getConnection()) {
            return H2Store.size(connection);
        }
    }

    /** The only class naming H2's types: loaded on H2 only. */
    static final class H2Store {

        private H2Store() {
        }

        static org.h2.mvstore.MVStore store(Connection connection) throws SQLException {
            org.h2.engine.Session session = connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
            if (!(session instanceof org.h2.engine.SessionLocal local) || local.getDatabase().getStore() == null) {
                return null;
            }
            org.h2.mvstore.MVStore store = local.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null ? null : store;
        }

        static long compact(Connection connection, int targetFillRate, int compactMillis) throws SQLException {
            org.h2.mvstore.MVStore store = store(connection);
            if (store == null) {
                return -1;
            }
            long before = store.getFileStore().size();
            store.compact(targetFillRate, REWRITE_BYTES);
            store.compactFile(compactMillis);
            long after = store.getFileStore().size();
            LOG.debug("H2 store compacted: {} -> {} bytes", before, after);
            return after;
        }

        /** Rewrites sparse chunks; with {@code shrinkMillis} above 0, also shrinks a file less than half in use. */
        static long rewrite(Connection connection, int targetFillRate, int shrinkMillis) throws SQLException {
            org.h2.mvstore.MVStore store = store(connection);
            if (store == null) {
                return -1;
            }
            if (store.getFileStore().getChunksFillRate() < targetFillRate) {
                store.compact(targetFillRate, REWRITE_BYTES);
            }
            if (shrinkMillis > 0 && store.getFillRate() < SHRINK_BELOW_FILL_RATE) {
                long before = store.getFileStore().size();
                store.compactFile(shrinkMillis);
                LOG.debug("H2 store shrunk: {} -> {} bytes", before, store.getFileStore().size());
            }
            return store.getFileStore().size();
        }

        static long size(Connection connection) throws SQLException {
            org.h2.mvstore.MVStore store = store(connection);
            return store == null ? -1 : store.getFileStore().size();
        }
    }
}
