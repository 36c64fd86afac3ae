package com.example.honeybee.record;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import com.example.honeybee.db.Sql;

/** A prescription row of the local record. */
public record Prescription(long prescriptionId, String patientId, Boolean active, String drugName, String ndc,
                           String sigText, BigDecimal writtenQty, Integer refillsLeft, OffsetDateTime expireDate,
                           String drugSchedule, OffsetDateTime receiveDate) {

    static Prescription map(ResultSet row) throws SQLException {
        return new Prescription(row.getLong("prescription_id"), row.getString("patient_id"),
                (Boolean) row.getObject("active"), row.getString("drug_name"), row.getString("ndc"),
                row.getString("sig_text"), row.getBigDecimal("written_qty"), (Integer) row.getObject("refills_left"),
                Sql.timestamp(row, "expire_date"), row.getString("drug_schedule"), Sql.timestamp(row, "receive_date"));
    }
}
