package com.example.honeybee.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.example.honeybee.db.Sql;

/**
 * SQL of the reorder_request table: reorders in the order outbox, claimed like fills (lease, FOR UPDATE SKIP
 * LOCKED, a row retaken from a worker that died is UNKNOWN and reconciled before any new POST).
 */
public class ReorderRepository {

    private static final String CLAIMABLE = "status IN ('PENDING', 'UNKNOWN') AND next_attempt_at <= ?"
            + " AND (locked_until IS NULL OR locked_until < ?)";

    private final Sql sql;
    private final Clock clock;
    private final String workerId;
    private final Duration lease;
    private java.util.function.Consumer<Instant> dueAt = at -> { };

    /** Tells the outbox when a reorder falls due (placed, replayed, a retry), once committed: as {@link FillRepository#setDueListener}. */
    public void setDueListener(java.util.function.Consumer<Instant> dueAt) {
        this.dueAt = dueAt;
    }

    private void due(Instant at) {
        sql.afterCommit(() -> dueAt.accept(at));
    }

    public ReorderRepository(Sql sql, Clock clock, String workerId, Duration lease) {
        this.sql = sql;
        this.clock = clock;
        this.workerId = workerId;
        this.lease = lease;
    }

    /**
     * Adds reorder number {@code reorderNumber} of the order; the unique (original_order_number, reorder_number) key
     * makes a concurrent second request for the same reorder fail instead of posting twice. Empty when it existed.
     */
    public Optional<Reorder> insert(String originalOrderNumber, int reorderNumber, String honeybeePatientId, String reason, String note,
                                    String requestedBy) {
        Instant now = clock.instant();
        boolean inserted = sql.insertIfAbsent("INSERT INTO reorder_request (original_order_number, reorder_number, honeybee_patient_id,"
                        + " reason, note, requested_by, status, next_attempt_at, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)",
                originalOrderNumber, reorderNumber, honeybeePatientId, reason, note, requestedBy, now, now, now);
        if (inserted) {
            due(now);
        }
        return inserted ? find(originalOrderNumber, reorderNumber) : Optional.empty();
    }

    /** Claims due reorders for this worker's lease; one still locked by an earlier claim is retaken as UNKNOWN. */
    public List<Reorder> claimDue(int limit) {
        Instant now = clock.instant();
        List<Long> claimed = sql.claim("SELECT id FROM reorder_request WHERE " + CLAIMABLE + " ORDER BY next_attempt_at, id"
                        + " FETCH FIRST " + limit + " ROWS ONLY", new Object[] {now, now}, row -> row.getLong(1),
                "UPDATE reorder_request SET status = CASE WHEN locked_by IS NULL THEN status ELSE 'UNKNOWN' END,"
                        + " locked_by = ?, locked_until = ?, attempts = attempts + 1,"
                        + " first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?",
                new Object[] {workerId, now.plus(lease), now});
        List<Reorder> reorders = new ArrayList<>();
        for (long id : claimed) {
            find(id).ifPresent(reorders::add);
        }
        return reorders;
    }

    /**
     * The outbox's claim step: the fills already claimed, followed by the reorders due (at most {@code limit}),
     * so one scheduler, one lease rule and one Partner API gate serve both.
     */
    public List<Object> claimDueAfter(List<?> claimedFills, int limit) {
        List<Object> work = new ArrayList<>(claimedFills == null ? List.of() : claimedFills);
        work.addAll(claimDue(limit));
        return work;
    }

    public Optional<Reorder> find(long id) {
        return sql.queryOne("SELECT " + Reorder.COLUMNS + " FROM reorder_request WHERE id = ?", Reorder::map, id);
    }

    public Optional<Reorder> find(String originalOrderNumber, int reorderNumber) {
        return sql.queryOne("SELECT " + Reorder.COLUMNS + " FROM reorder_request WHERE original_order_number = ? AND reorder_number = ?",
                Reorder::map, originalOrderNumber, reorderNumber);
    }

    /** The reorders of an original order, oldest first. */
    public List<Reorder> ofOriginal(String originalOrderNumber) {
        return sql.query("SELECT " + Reorder.COLUMNS + " FROM reorder_request WHERE original_order_number = ? ORDER BY reorder_number",
                Reorder::map, originalOrderNumber);
    }

    /** The reorder that created this order, if one did. */
    public Optional<Reorder> creating(String newOrderNumber) {
        return sql.queryOne("SELECT " + Reorder.COLUMNS + " FROM reorder_request WHERE new_order_number = ?", Reorder::map, newOrderNumber);
    }

    public List<Reorder> all() {
        return sql.query("SELECT " + Reorder.COLUMNS + " FROM reorder_request ORDER BY id", Reorder::map);
    }

    /** Order numbers owned by a fill or by another reorder: reconciliation must not claim them. */
    public List<String> orderNumbersTakenOtherThan(long reorderId) {
        List<String> taken = new ArrayList<>(sql.query("SELECT new_order_number FROM reorder_request WHERE new_order_number IS NOT NULL"
                + " AND id <> ?", row -> row.getString(1), reorderId));
        taken.addAll(sql.query("SELECT order_number FROM fill_request WHERE order_number IS NOT NULL", row -> row.getString(1)));
        return taken;
    }

    public void placed(long id, String newOrderNumber, String requestId) {
        finish(id, FillStatus.PLACED, null, null, requestId, newOrderNumber);
    }

    public void dead(long id, String reason, String errorCode, String requestId) {
        finish(id, FillStatus.DEAD, reason, errorCode, requestId, null);
    }

    /** Tries again at {@code at}; UNKNOWN makes the next attempt reconcile first. {@code httpStatus} is the last answer's. */
    public void retryAt(long id, FillStatus status, Instant at, String reason, Integer httpStatus, String requestId) {
        sql.update("UPDATE reorder_request SET status = ?, next_attempt_at = ?, last_error = ?, last_status = ?,"
                + " last_request_id = COALESCE(?, last_request_id), locked_by = NULL, locked_until = NULL, updated_at = ? WHERE id = ?",
                status.name(), at, reason, httpStatus, requestId, clock.instant(), id);
        due(at);
    }

    /** Puts a dead reorder back in line (replay) with a fresh retry window; false when it was not dead. */
    public boolean requeueDead(long id) {
        due(clock.instant());
        return sql.update("UPDATE reorder_request SET status = 'PENDING', next_attempt_at = ?, attempts = 0, first_attempt_at = NULL,"
                + " last_status = NULL, updated_at = ? WHERE status = 'DEAD' AND id = ?", clock.instant(), clock.instant(), id) == 1;
    }

    private void finish(long id, FillStatus status, String reason, String errorCode, String requestId, String newOrderNumber) {
        sql.update("UPDATE reorder_request SET status = ?, last_error = ?, error_code = ?, last_request_id = COALESCE(?, last_request_id),"
                + " new_order_number = COALESCE(?, new_order_number), locked_by = NULL, locked_until = NULL, updated_at = ? WHERE id = ?",
                status.name(), reason, errorCode, requestId, newOrderNumber, clock.instant(), id);
    }
}
