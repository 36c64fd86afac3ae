package com.example.honeybee.record;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.EventDataException;
import com.example.honeybee.support.HoneybeeHeaders;
import org.apache.camel.Body;
import org.apache.camel.Header;

/** Prescriptions as Honeybee reports them in RX_RECEIVED and RX_UPDATED. */
public class PrescriptionRepository {

    private final Sql sql;
    private final Clock clock;

    public PrescriptionRepository(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * Records a medication request of RX_RECEIVED. Refills only count down, so a late or repeated
     * RX_RECEIVED never raises refills_left above what a later RX_UPDATED reported.
     */
    public void recordReceived(@Header(HoneybeeHeaders.PATIENT_ID) String patientId, @Body Map<String, Object> request) {
        long prescriptionId = requireId(request);
        Instant now = clock.instant();
        Integer refills = Fields.intValue(request, "refills_left");
        Object[] values = {Fields.bool(request, "active"), Fields.text(request, "drug_name"), Fields.text(request, "ndc"),
                Fields.text(request, "sig_text"), Fields.decimal(request, "written_qty"),
                Fields.time(request, "expire_date"), Fields.text(request, "drug_schedule"),
                Fields.text(request, "prescriber_name"), Fields.time(request, "receive_date")};
        sql.upsert("UPDATE prescription SET patient_id = ?, active = ?, drug_name = ?, ndc = ?, sig_text = ?, written_qty = ?,"
                        + " expire_date = ?, drug_schedule = ?, prescriber_name = ?, receive_date = ?,"
                        + " refills_left = " + REFILLS_COUNT_DOWN + ", updated_at = ? WHERE prescription_id = ?",
                concat(new Object[] {patientId}, values, new Object[] {refills, refills, now, prescriptionId}),
                "INSERT INTO prescription (patient_id, active, drug_name, ndc, sig_text, written_qty, expire_date, drug_schedule,"
                        + " prescriber_name, receive_date, refills_left, created_at, updated_at, prescription_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                concat(new Object[] {patientId}, values, new Object[] {refills, now, now, prescriptionId}));
    }

    /**
     * Records what an RX_UPDATED request says of its prescription: active, expire_date, sig_text,
     * written_qty, drug_schedule, prescriber_name, drug_name and ndc take the reported value;
     * refills_left only counts down. A field that is absent or null keeps its value. A prescription
     * made inactive or expired this way refuses new fills ({@code FillRequests}).
     */
    public void recordUpdated(@Header(HoneybeeHeaders.PATIENT_ID) String patientId, @Body Map<String, Object> request) {
        Long prescriptionId = Fields.prescriptionId(request);
        if (prescriptionId == null) {
            return;
        }
        Instant now = clock.instant();
        Integer refills = Fields.intValue(request, "refills_left");
        Object[] values = {Fields.bool(request, "active"), Fields.text(request, "drug_name"), Fields.text(request, "ndc"),
                Fields.text(request, "sig_text"), Fields.decimal(request, "written_qty"),
                Fields.time(request, "expire_date"), Fields.text(request, "drug_schedule"), Fields.text(request, "prescriber_name")};
        sql.upsert("UPDATE prescription SET active = COALESCE(?, active), drug_name = COALESCE(?, drug_name), ndc = COALESCE(?, ndc),"
                        + " sig_text = COALESCE(?, sig_text), written_qty = COALESCE(?, written_qty), expire_date = COALESCE(?, expire_date),"
                        + " drug_schedule = COALESCE(?, drug_schedule), prescriber_name = COALESCE(?, prescriber_name),"
                        + " refills_left = " + REFILLS_COUNT_DOWN + ", updated_at = ? WHERE prescription_id = ?",
                concat(values, new Object[] {refills, refills, now, prescriptionId}),
                "INSERT INTO prescription (active, drug_name, ndc, sig_text, written_qty, expire_date, drug_schedule, prescriber_name,"
                        + " patient_id, refills_left, created_at, updated_at, prescription_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                concat(values, new Object[] {patientId, refills, now, now, prescriptionId}));
    }

    /** The prescription a medication request is about (prescription_id, or id), or null when it names none. */
    public Long idOf(@Body Map<String, Object> request) {
        return Fields.prescriptionId(request);
    }

    /** Whether the local record holds a prescription of this Honeybee patient. */
    public boolean knowsPatient(String patientId) {
        return sql.count("SELECT COUNT(*) FROM prescription WHERE patient_id = ?", patientId) > 0;
    }

    public Optional<Prescription> find(long prescriptionId) {
        return sql.queryOne("SELECT * FROM prescription WHERE prescription_id = ?", Prescription::map, prescriptionId);
    }

    /** refills_left takes the new value only when it is lower (two parameters: the new value twice). */
    private static final String REFILLS_COUNT_DOWN =
            "CASE WHEN refills_left IS NULL OR CAST(? AS INTEGER) < refills_left THEN CAST(? AS INTEGER) ELSE refills_left END";

    private static long requireId(Map<String, Object> request) {
        Long id = Fields.prescriptionId(request);
        if (id == null) {
            throw new EventDataException("medication request has no prescription_id or id");
        }
        return id;
    }

    private static Object[] concat(Object[]... parts) {
        int length = 0;
        for (Object[] part : parts) {
            length += part.length;
        }
        Object[] all = new Object[length];
        int at = 0;
        for (Object[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
