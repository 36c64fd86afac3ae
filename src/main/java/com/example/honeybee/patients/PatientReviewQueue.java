package com.example.honeybee.patients;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Patients waiting for a person to choose their partner record. One open item per Honeybee patient. */
public class PatientReviewQueue {

    private static final Logger LOG = LoggerFactory.getLogger(PatientReviewQueue.class);

    private final Sql sql;
    private final Clock clock;

    public PatientReviewQueue(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    public void open(PatientReviewNeededException review) {
        boolean alreadyOpen = sql.count("SELECT COUNT(*) FROM patient_review WHERE honeybee_patient_id = ? AND status = 'OPEN'",
                review.honeybeePatientId()) > 0;
        if (alreadyOpen) {
            sql.update("UPDATE patient_review SET reason = ?, candidates = ? WHERE honeybee_patient_id = ? AND status = 'OPEN'",
                    review.reason(), review.candidates(), review.honeybeePatientId());
            return;
        }
        sql.update("INSERT INTO patient_review (honeybee_patient_id, reason, candidates, status, created_at) VALUES (?, ?, ?, 'OPEN', ?)",
                review.honeybeePatientId(), review.reason(), review.candidates(), clock.instant());
        LOG.warn("patient {} sent to the review queue: {}", LogSafe.escape(review.honeybeePatientId()), LogSafe.escape(review.reason()));
    }

    public List<Review> open() {
        return sql.query("SELECT id, honeybee_patient_id, reason, candidates, status, created_at FROM patient_review"
                        + " WHERE status = 'OPEN' ORDER BY id",
                row -> new Review(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4), row.getString(5),
                        Sql.timestamp(row, "created_at")));
    }

    /** Closes the open review of a patient once it is linked; answers whether one was open. */
    public boolean resolve(String honeybeePatientId, String partnerPatientId) {
        return sql.update("UPDATE patient_review SET status = 'RESOLVED', resolved_at = ?, partner_patient_id = ?"
                + " WHERE honeybee_patient_id = ? AND status = 'OPEN'", clock.instant(), partnerPatientId, honeybeePatientId) > 0;
    }

    /** An item of the queue: ids, the rule's reason and a count, no PHI. */
    public record Review(long id, String honeybeePatientId, String reason, int candidates, String status, OffsetDateTime createdAt) {
    }
}
