package com.example.honeybee.refill;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillHistory;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.support.HoneybeeHeaders;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the prescriptions whose refill is due: refills_left &gt; 0, not expired, active, the last fill
 * (ours or an order Honeybee reported from outside the bundle)
 * Shipped or Delivered, interval-days minus lead-days passed since that order's date, and the patient
 * enrolled for refills in the partner's records. What happens to them (a reminder or a refill order
 * through the outbox) is the refill-schedule route's choice, per honeybee.refill.policy.
 */
public class RefillSchedule {

    /** honeybee.refill.policy, as HoneybeeSettings reads it. */
    public enum Policy { REMINDER, ORDER }

    private static final Logger LOG = LoggerFactory.getLogger(RefillSchedule.class);

    private final Sql sql;
    private final FillRepository fills;
    private final Clock clock;
    private final Duration dueAfter;
    private final Policy policy;

    public RefillSchedule(Sql sql, FillRepository fills, Clock clock, int intervalDays, int leadDays, Policy policy) {
        this.sql = sql;
        this.fills = fills;
        this.clock = clock;
        this.dueAfter = Duration.ofDays(Math.max(0, intervalDays - leadDays));
        this.policy = policy;
    }

    public String policy() {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    /** Route step: whether a due refill is ordered through the outbox (policy order) rather than reminded. */
    public boolean ordersRefills() {
        return policy == Policy.ORDER;
    }

    /**
     * The candidates: each prescription with a fill, ours or one Honeybee reported, with its latest fill's
     * state and the patient's enrolment. The latest fill is our newest outbox row while it is not placed
     * (a fill in progress: not due), else the newest order of the prescription, whoever placed it; an order
     * placed outside the bundle that is still in progress keeps the prescription not due.
     */
    public List<RefillCandidate> candidates() {
        record Rx(long id, String patientId, Integer refillsLeft, Boolean active, OffsetDateTime expireDate, Boolean enrolled) {
        }
        List<Rx> prescriptions = sql.query("SELECT p.prescription_id, p.patient_id, p.refills_left, p.active, p.expire_date,"
                        + " pp.refill_enrolled FROM prescription p"
                        + " LEFT JOIN patient_link l ON l.honeybee_patient_id = p.patient_id"
                        + " LEFT JOIN partner_patient pp ON pp.partner_patient_id = l.partner_patient_id"
                        + " WHERE EXISTS (SELECT 1 FROM fill_request f WHERE f.prescription_id = p.prescription_id)"
                        + " OR EXISTS (SELECT 1 FROM rx_order_item i WHERE i.prescription_id = p.prescription_id)"
                        + " ORDER BY p.prescription_id",
                row -> new Rx(row.getLong(1), row.getString(2), (Integer) row.getObject(3), (Boolean) row.getObject(4),
                        Sql.timestamp(row, "expire_date"), (Boolean) row.getObject(6)));
        List<RefillCandidate> candidates = new ArrayList<>();
        for (Rx rx : prescriptions) {
            FillHistory history = fills.history(rx.id());
            Optional<Fill> newest = history.fills().stream().max(Comparator.comparingInt(Fill::fillNumber));
            String lastStatus;
            OffsetDateTime lastDate;
            Optional<FillHistory.ReportedOrder> latest = history.latestOrder();
            if (newest.isPresent() && newest.get().status() != FillStatus.PLACED) {
                lastStatus = null;
                lastDate = newest.get().createdAt();
            } else if (history.openOutside().isPresent()) {
                lastStatus = history.openOutside().get().status();
                lastDate = history.openOutside().get().recordedAt();
            } else if (latest.isPresent()) {
                lastStatus = latest.get().status();
                lastDate = latest.get().orderDate() != null ? latest.get().orderDate() : latest.get().recordedAt();
            } else {
                lastStatus = null;
                lastDate = newest.map(Fill::createdAt).orElse(null);
            }
            candidates.add(new RefillCandidate(rx.id(), rx.patientId(), history.nextFillNumber(), rx.refillsLeft(), rx.active(),
                    rx.expireDate(), lastStatus, lastDate, rx.enrolled()));
        }
        return candidates;
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
        // an empty fill request: the refill orders what the partner's defaults say (honeybee.order.default-*)
        exchange.getMessage().setBody(null);
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
