package com.example.honeybee.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.example.honeybee.db.Sql;

/** SQL of the fill_request table: the order outbox. */
public class FillRepository {

    private static final String CLAIMABLE = "status IN ('PENDING', 'UNKNOWN') AND next_attempt_at <= ?"
            + " AND (locked_until IS NULL OR locked_until < ?)";

    private final Sql sql;
    private final Clock clock;
    private final String workerId;
    private final Duration lease;
    private java.util.function.Consumer<Instant> dueAt = at -> { };

    /**
     * Tells the outbox when a fill falls due (now: a fill placed, requeued or replayed; later: a retry),
     * once the change is committed, so the outbox wakes instead of polling.
     */
    public void setDueListener(java.util.function.Consumer<Instant> dueAt) {
        this.dueAt = dueAt;
    }

    private void due(Instant at) {
        sql.afterCommit(() -> dueAt.accept(at));
    }

    public FillRepository(Sql sql, Clock clock, String workerId, Duration lease) {
        this.sql = sql;
        this.clock = clock;
        this.workerId = workerId;
        this.lease = lease;
    }

    /**
     * Adds the next fill of a prescription. The (prescription_id, fill_number) key makes a concurrent
     * second request for the same fill fail instead of creating a duplicate.
     */
    public Optional<Fill> insertNext(long prescriptionId, int fillNumber, String honeybeePatientId, String requestedBy) {
        return insertNext(prescriptionId, fillNumber, honeybeePatientId, requestedBy, null);
    }

    /** As {@link #insertNext(long, int, String, String)}, with the order's items (the JSON of {@link OrderItems}) stored with it. */
    public Optional<Fill> insertNext(long prescriptionId, int fillNumber, String honeybeePatientId, String requestedBy, String orderItems) {
        Instant now = clock.instant();
        boolean inserted = sql.insertIfAbsent("INSERT INTO fill_request (prescription_id, fill_number, honeybee_patient_id, requested_by,"
                        + " status, next_attempt_at, created_at, updated_at, order_items) VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?)",
                prescriptionId, fillNumber, honeybeePatientId, requestedBy, now, now, now, orderItems);
        if (inserted) {
            due(now);
        }
        return inserted ? find(prescriptionId, fillNumber) : Optional.empty();
    }

    /**
     * Claims due fills for this worker's lease, like the inbox: skipped while claimed, retaken after a crash.
     * A fill still locked by an earlier claim was never finished: that worker died, perhaps after its
     * POST /orders took effect, so the fill is retaken as UNKNOWN and reconciled before any new POST.
     */
    public List<Fill> claimDue(int limit) {
        Instant now = clock.instant();
        List<Long> claimed = sql.claim("SELECT id FROM fill_request WHERE " + CLAIMABLE + " ORDER BY next_attempt_at, id"
                        + " FETCH FIRST " + limit + " ROWS ONLY", new Object[] {now, now}, row -> row.getLong(1),
                "UPDATE fill_request SET status = CASE WHEN locked_by IS NULL THEN status ELSE 'UNKNOWN' END,"
                        + " locked_by = ?, locked_until = ?, attempts = attempts + 1,"
                        + " first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?",
                new Object[] {workerId, now.plus(lease), now});
        List<Fill> fills = new ArrayList<>();
        for (long id : claimed) {
            find(id).ifPresent(fills::add);
        }
        return fills;
    }

    /**
     * Adds an order of add-on items alone for a patient (no prescription_id, fill number 1). Nothing keys it but its
     * id: each call is a new order (Honeybee's 409 guards a duplicate posted within moments).
     */
    public Fill insertAddOnOrder(String honeybeePatientId, String requestedBy, String orderItems) {
        Instant now = clock.instant();
        long id = sql.insertReturningId("INSERT INTO fill_request (prescription_id, fill_number, honeybee_patient_id, requested_by,"
                        + " status, next_attempt_at, created_at, updated_at, order_items) VALUES (NULL, 1, ?, ?, 'PENDING', ?, ?, ?, ?)",
                honeybeePatientId, requestedBy, now, now, now, orderItems);
        due(now);
        return find(id).orElseThrow();
    }

    public Optional<Fill> find(long id) {
        return sql.queryOne("SELECT " + Fill.COLUMNS + " FROM fill_request WHERE id = ?", Fill::map, id);
    }

    public Optional<Fill> find(long prescriptionId, int fillNumber) {
        return sql.queryOne("SELECT " + Fill.COLUMNS + " FROM fill_request WHERE prescription_id = ? AND fill_number = ?",
                Fill::map, prescriptionId, fillNumber);
    }

    public List<Fill> forPrescription(long prescriptionId) {
        return sql.query("SELECT " + Fill.COLUMNS + " FROM fill_request WHERE prescription_id = ? ORDER BY fill_number",
                Fill::map, prescriptionId);
    }

    /**
     * The prescription's fills: its outbox rows and every order the local record holds for it (reported by
     * Honeybee or recorded when we placed it), each marked with whether an outbox row placed it.
     */
    public FillHistory history(long prescriptionId) {
        List<FillHistory.ReportedOrder> orders = sql.query("SELECT o.order_number, o.status, o.order_date, o.created_at,"
                        + " CASE WHEN EXISTS (SELECT 1 FROM fill_request f WHERE f.order_number = o.order_number)"
                        // a reorder's replacement is ours too (and not a new fill: it counts no fill number)
                        + " OR EXISTS (SELECT 1 FROM reorder_request r WHERE r.new_order_number = o.order_number) THEN 1 ELSE 0 END"
                        + " FROM rx_order o JOIN rx_order_item i ON i.order_number = o.order_number"
                        + " WHERE i.prescription_id = ? ORDER BY o.created_at, o.order_number",
                row -> new FillHistory.ReportedOrder(row.getString(1), row.getString(2), Sql.timestamp(row, "order_date"),
                        Sql.timestamp(row, "created_at"), row.getInt(5) == 1), prescriptionId);
        return new FillHistory(forPrescription(prescriptionId), orders);
    }

    public List<Fill> all() {
        return sql.query("SELECT " + Fill.COLUMNS + " FROM fill_request ORDER BY id", Fill::map);
    }

    /** Order numbers already taken by other fills: reconciliation must not claim them twice. */
    public List<String> orderNumbersOtherThan(long fillId) {
        return sql.query("SELECT order_number FROM fill_request WHERE order_number IS NOT NULL AND id <> ?",
                row -> row.getString(1), fillId);
    }

    public void placed(long id, String orderNumber, String requestId) {
        finish(id, FillStatus.PLACED, null, null, requestId, orderNumber);
    }

    public void dead(long id, String reason, String errorCode, String requestId) {
        finish(id, FillStatus.DEAD, reason, errorCode, requestId, null);
    }

    public void needsReview(long id, String reason) {
        finish(id, FillStatus.NEEDS_REVIEW, reason, null, null, null);
    }

    /** Tries again at {@code at}; UNKNOWN makes the next attempt reconcile first. */
    public void retryAt(long id, FillStatus status, Instant at, String reason, String requestId) {
        sql.update("UPDATE fill_request SET status = ?, next_attempt_at = ?, last_error = ?, last_request_id = COALESCE(?, last_request_id),"
                + " locked_by = NULL, locked_until = NULL, updated_at = ? WHERE id = ?", status.name(), at, reason, requestId,
                clock.instant(), id);
        due(at);
    }

    /**
     * Puts a patient's fills that waited for review back in line, with a fresh retry window (it runs from the
     * next first attempt).
     */
    public int requeueReviewed(String honeybeePatientId) {
        due(clock.instant());
        return sql.update("UPDATE fill_request SET status = 'PENDING', next_attempt_at = ?, last_error = NULL, first_attempt_at = NULL,"
                + " updated_at = ? WHERE status = 'NEEDS_REVIEW' AND honeybee_patient_id = ?", clock.instant(), clock.instant(),
                honeybeePatientId);
    }

    /** Puts a dead fill back in line (replay) with a fresh retry window; answers false when it was not dead. */
    public boolean requeueDead(long id) {
        due(clock.instant());
        return sql.update("UPDATE fill_request SET status = 'PENDING', next_attempt_at = ?, attempts = 0, first_attempt_at = NULL,"
                + " updated_at = ? WHERE status = 'DEAD' AND id = ?", clock.instant(), clock.instant(), id) == 1;
    }

    private void finish(long id, FillStatus status, String reason, String errorCode, String requestId, String orderNumber) {
        sql.update("UPDATE fill_request SET status = ?, last_error = ?, error_code = ?, last_request_id = COALESCE(?, last_request_id),"
                + " order_number = COALESCE(?, order_number), locked_by = NULL, locked_until = NULL, updated_at = ? WHERE id = ?",
                status.name(), reason, errorCode, requestId, orderNumber, clock.instant(), id);
    }
}
