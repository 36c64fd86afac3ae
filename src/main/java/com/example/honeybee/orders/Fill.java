package com.example.honeybee.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import com.example.honeybee.db.Sql;

/**
 * One fill in the order outbox: a fill of a prescription, or an order of add-on items alone
 * ({@code prescriptionId} 0, see {@link #hasPrescription}). {@code orderItems} is the stored JSON of
 * {@link OrderItems} (null on fills from before it was stored: the prescription and the default add-ons).
 */
public record Fill(long id, long prescriptionId, int fillNumber, String honeybeePatientId, String requestedBy, FillStatus status,
                   int attempts, OffsetDateTime firstAttemptAt, String orderNumber, String lastError, String errorCode,
                   String lastRequestId, OffsetDateTime createdAt, String orderItems) {

    static final String COLUMNS = "id, prescription_id, fill_number, honeybee_patient_id, requested_by, status, attempts,"
            + " first_attempt_at, order_number, last_error, error_code, last_request_id, created_at, order_items";

    /** A fill without stored items (its order: the prescription and the default add-ons). */
    public Fill(long id, long prescriptionId, int fillNumber, String honeybeePatientId, String requestedBy, FillStatus status,
                int attempts, OffsetDateTime firstAttemptAt, String orderNumber, String lastError, String errorCode,
                String lastRequestId, OffsetDateTime createdAt) {
        this(id, prescriptionId, fillNumber, honeybeePatientId, requestedBy, status, attempts, firstAttemptAt, orderNumber, lastError,
                errorCode, lastRequestId, createdAt, null);
    }

    static Fill map(ResultSet row) throws SQLException {
        return new Fill(row.getLong(1), row.getLong(2), row.getInt(3), row.getString(4), row.getString(5),
                FillStatus.valueOf(row.getString(6)), row.getInt(7), Sql.timestamp(row, "first_attempt_at"), row.getString(9),
                row.getString(10), row.getString(11), row.getString(12), Sql.timestamp(row, "created_at"), row.getString(14));
    }

    /** False for an order of add-on items alone (stored without a prescription_id). */
    public boolean hasPrescription() {
        return prescriptionId != 0;
    }

    public boolean isRefill() {
        return fillNumber > 1;
    }
}
