package com.example.honeybee.refill;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.HoneybeeHeaders;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the prescriptions whose refill is due: refills_left &gt; 0, not expired, active, the last fill
 * Shipped or Delivered, interval-days minus lead-days passed since that order's date, and the patient
 * enrolled for refills in the partner's records. What happens to them (a reminder or a refill order
 * through the outbox) is the refill-schedule route's choice, per honeybee.refill.policy.
 */
public class RefillSchedule {

    public enum Policy { REMINDER, ORDER }

    private static final Logger LOG = LoggerFactory.getLogger(RefillSchedule.class);

    private final Sql sql;
    private final Clock clock;
    private final Duration dueAfter;
    private final Policy policy;

    public RefillSchedule(Sql sql, Clock clock, int intervalDays, int leadDays, String policy) {
        this.sql = sql;
        this.clock = clock;
        this.dueAfter = Duration.ofDays(Math.max(0, intervalDays - leadDays));
        try {
            this.policy = Policy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("honeybee.refill.policy must be reminder or order; was '" + policy + "'");
        }
    }

    public String policy() {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    /** The candidates: each prescription with its latest fill's order and the patient's enrolment. */
    public List<RefillCandidate> candidates() {
        return sql.query("SELECT p.prescription_id, p.patient_id, f.fill_number, p.refills_left, p.active, p.expire_date,"
                        + " o.status, o.order_date, f.created_at, pp.refill_enrolled"
                        + " FROM prescription p"
                        + " JOIN fill_request f ON f.prescription_id = p.prescription_id"
                        + "  AND f.fill_number = (SELECT MAX(f2.fill_number) FROM fill_request f2 WHERE f2.prescription_id = p.prescription_id)"
                        + " LEFT JOIN rx_order o ON o.order_number = f.order_number"
                        + " LEFT JOIN patient_link l ON l.honeybee_patient_id = p.patient_id"
                        + " LEFT JOIN partner_patient pp ON pp.partner_patient_id = l.partner_patient_id"
                        + " ORDER BY p.prescription_id",
                row -> {
                    OffsetDateTime orderDate = Sql.timestamp(row, "order_date");
                    return new RefillCandidate(row.getLong(1), row.getString(2), row.getInt(3) + 1, (Integer) row.getObject(4),
                            (Boolean) row.getObject(5), Sql.timestamp(row, "expire_date"), row.getString(7),
                            orderDate != null ? orderDate : Sql.timestamp(row, "created_at"), (Boolean) row.getObject(10));
                });
    }

    /** The candidates that are due now (route step: the body becomes the list to split). */
    public List<RefillCandidate> findDue() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<RefillCandidate> due = candidates().stream().filter(c -> isDue(c, now)).toList();
        LOG.info("refill schedule: {} prescription(s) due (policy {})", due.size(), policy());
        return due;
    }

    boolean isDue(RefillCandidate c, OffsetDateTime now) {
        return c.refillsLeft() != null && c.refillsLeft() > 0
                && !Boolean.FALSE.equals(c.active())
                && (c.expireDate() == null || c.expireDate().isAfter(now))
                && ("Shipped".equals(c.lastOrderStatus()) || "Delivered".equals(c.lastOrderStatus()))
                && c.lastOrderDate() != null && !c.lastOrderDate().plus(dueAfter).isAfter(now)
                && Boolean.TRUE.equals(c.refillEnrolled());
    }

    /** Route step before a refill order: the headers direct:honeybee-request-fill reads. */
    public void prepareOrder(@Body RefillCandidate candidate, Exchange exchange) {
        exchange.getMessage().setHeader(HoneybeeHeaders.PRESCRIPTION_ID, candidate.prescriptionId());
        exchange.getMessage().setHeader("HoneybeeRequestedBy", "refill-schedule");
    }

    /** Records a reminder once per prescription and fill; answers whether it is new (and so to be sent). */
    public boolean recordReminder(@Body RefillCandidate candidate) {
        boolean created = sql.insertIfAbsent("INSERT INTO refill_reminder (prescription_id, fill_number, honeybee_patient_id, due_since,"
                        + " status, created_at) VALUES (?, ?, ?, ?, 'OPEN', ?)", candidate.prescriptionId(), candidate.nextFillNumber(),
                candidate.honeybeePatientId(), candidate.lastOrderDate().plus(dueAfter), clock.instant());
        if (created) {
            LOG.info("refill reminder: fill {} of prescription {} is due", candidate.nextFillNumber(), candidate.prescriptionId());
        }
        return created;
    }
}
