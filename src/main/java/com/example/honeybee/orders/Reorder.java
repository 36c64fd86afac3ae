package com.example.honeybee.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import com.example.honeybee.db.Sql;

/**
 * One reorder of a shipped order in the order outbox (table reorder_request): Honeybee's
 * {@code POST /orders/{order_number}/reorders}, e.g. for a lost package. Its status has a fill's meaning
 * ({@link FillStatus}: PENDING due, UNKNOWN reconcile first, PLACED with {@code newOrderNumber}, DEAD refused).
 *
 * @param reorderNumber   1 for the first reorder of the original order, 2 for one after a refused first, ...
 * @param reason          lost, damaged or other
 * @param lastStatus      the HTTP status of the last answer (409 makes a fruitless reconciliation final), or null
 */
public record Reorder(long id, String originalOrderNumber, int reorderNumber, String honeybeePatientId, String reason, String note,
                      String requestedBy, FillStatus status, int attempts, OffsetDateTime firstAttemptAt, String newOrderNumber,
                      Integer lastStatus, String lastError, String errorCode, String lastRequestId, OffsetDateTime createdAt) {

    static final String COLUMNS = "id, original_order_number, reorder_number, honeybee_patient_id, reason, note, requested_by, status,"
            + " attempts, first_attempt_at, new_order_number, last_status, last_error, error_code, last_request_id, created_at";

    static Reorder map(ResultSet row) throws SQLException {
        int lastStatus = row.getInt(12);
        Integer status = row.wasNull() ? null : lastStatus;
        return new Reorder(row.getLong(1), row.getString(2), row.getInt(3), row.getString(4), row.getString(5), row.getString(6),
                row.getString(7), FillStatus.valueOf(row.getString(8)), row.getInt(9), Sql.timestamp(row, "first_attempt_at"),
                row.getString(11), status, row.getString(13), row.getString(14), row.getString(15), Sql.timestamp(row, "created_at"));
    }

    @Override
    public String toString() {
        return "Reorder[" + id + " of " + originalOrderNumber + "]";
    }
}
