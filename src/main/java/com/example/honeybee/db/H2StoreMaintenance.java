package com.example.honeybee.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Keeps the embedded H2 file bounded while the bundle runs, without giving up the durable acknowledgement
 * ({@code WRITE_DELAY=0}: every commit is written before the 200). With a write delay of zero H2 never runs
 * its background writer, which is also what compacts the file, so every commit's chunk stays until close
 * (about 70 KiB per event before batches; BENCHMARKS.md). The route {@code honeybee-h2-store-maintenance}
 * calls {@link #maintain()} every interval, under load too, on H2 only: it rewrites the live pages of sparse
 * chunks ({@code MVStore.compact}, at most {@value #REWRITE_BYTES} bytes a time), whose chunks H2 then frees
 * once its retention time has passed, so the file's space is reused instead of grown. Chunks still inside
 * H2's retention time are never overwritten, so a crash recovers as before.
 * <p>
 * It never moves chunks to shrink the file while the database is open: H2 2.3.232's {@code MVStore.compactFile}
 * failed an internal assertion on a reopened file ({@code RandomAccessStore.compactMoveChunks}), and an
 * MVStoreException closes the whole database (RestartRecoveryTest met it). H2 shrinks the file when the
 * database closes. H2 offers no SQL command for this while the database is open, so the one call into H2's
 * own store API is here (H2 2.3; {@code SHUTDOWN COMPACT} is the offline equivalent).
 */
public class H2StoreMaintenance {

    /** The most live data one rewrite copies: bounds how long it delays the commits beside it. */
    static final int REWRITE_BYTES = 4 * 1024 * 1024;

    private final DataSource dataSource;
    private final boolean h2;
    private final int targetFillRate;

    /** @param targetFillRate chunks fuller than this percentage are left alone */
    public H2StoreMaintenance(Sql sql, boolean h2, int targetFillRate) {
        this.dataSource = sql.dataSource();
        this.h2 = h2;
        this.targetFillRate = targetFillRate;
    }

    /**
     * Rewrites the live pages of chunks less full than the target, so their space is reused; answers the file's
     * size in bytes afterwards, or -1 when not on an H2 file database.
     */
    public long maintain() throws SQLException {
        if (!h2) {
            return -1;
        }
        try (Connection connection = dataSource.getConnection()) {
            return H2Store.rewrite(connection, targetFillRate);
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

        static long rewrite(Connection connection, int targetFillRate) throws SQLException {
            org.h2.mvstore.MVStore store = store(connection);
            if (store == null) {
                return -1;
            }
            if (store.getFileStore().getChunksFillRate() < targetFillRate) {
                store.compact(targetFillRate, REWRITE_BYTES);
            }
            return store.getFileStore().size();
        }
    }
}
