package com.example.honeybee.record;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.EventDataException;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Order exceptions (an order On Hold) with the actions Honeybee offers for them. */
public class ExceptionRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ExceptionRepository.class);

    /** An exception waiting for an action. */
    public static final String OPEN = "OPEN";
    /** An exception older than its order's last status change: recorded, never answered. */
    public static final String LATE = "LATE";
    /** The exception field read as its own time (not in Honeybee's sample: an assumption). */
    static final String RAISED_AT = "created_at";

    private final Sql sql;
    private final OrderRepository orders;
    private final ShipmentRepository shipments;
    private final Clock clock;

    public ExceptionRepository(Sql sql, OrderRepository orders, ShipmentRepository shipments, Clock clock) {
        this.sql = sql;
        this.orders = orders;
        this.shipments = shipments;
        this.clock = clock;
    }

    /**
     * Records the {@code exception} of an ORDER_EXCEPTION event and puts its order On Hold, unless it is
     * late ({@link LateException}): then it is recorded as LATE with the reason, its On Hold is kept in the
     * order's history as not applied, and no one (operator or policy) can answer it.
     */
    public void record(@Header(HoneybeeHeaders.PATIENT_ID) String patientId,
                       @Header(HoneybeeHeaders.EVENT_ID) String eventId,
                       @Body Map<String, Object> event) {
        Map<String, Object> exception = Fields.object(event, "exception");
        if (exception == null) {
            throw new EventDataException("exception is missing");
        }
        Long exceptionId = Fields.longValue(exception, "id");
        if (exceptionId == null) {
            throw new EventDataException("exception.id is missing");
        }
        String orderNumber = Fields.requiredText(exception, "order_number");
        orders.ensureOrder(orderNumber, patientId);
        Optional<String> late = LateException.reason(orders.find(orderNumber).flatMap(o -> OrderStatus.parse(o.status())),
                raisedAt(exception), shipments.lastReportedAt(orderNumber));
        boolean isNew = sql.insertIfAbsent("INSERT INTO order_exception (exception_id, order_number, patient_id, name, message,"
                        + " status, resolution, event_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                exceptionId, orderNumber, patientId, Fields.requiredText(exception, "name"), Fields.text(exception, "message"),
                late.isPresent() ? LATE : OPEN, late.map(ExceptionRepository::truncate).orElse(null), eventId, clock.instant());
        for (Map<String, Object> action : Fields.objects(exception, "order_actions")) {
            sql.insertIfAbsent("INSERT INTO order_exception_action (exception_id, event_key, description) VALUES (?, ?, ?)",
                    exceptionId, Fields.requiredText(action, "event_key"), Fields.text(action, "action"));
        }
        // a repeat of the event follows what was decided when it was first recorded
        boolean recordedLate = find(exceptionId).map(e -> LATE.equals(e.status())).orElse(false);
        if (recordedLate) {
            orders.recordKeptBack(orderNumber, OrderStatus.ON_HOLD.label(), eventId);
        } else {
            orders.applyStatus(orderNumber, OrderStatus.ON_HOLD.label(), eventId);
        }
        if (isNew && recordedLate) {
            LOG.info("exception {} for order {} arrived late ({}); recorded, the order keeps its status (event_id={})", exceptionId,
                    LogSafe.escape(orderNumber), late.orElse("recorded late before"), LogSafe.escape(eventId));
        } else if (isNew) {
            LOG.info("exception {} recorded for order {}: waiting for an action (event_id={})", exceptionId, LogSafe.escape(orderNumber),
                    LogSafe.escape(eventId));
        }
    }

    /**
     * The exception's own time, when Honeybee sends one. Honeybee's published sample has none; this bundle
     * reads {@value #RAISED_AT} (an assumption, docs/CONTRACT.md) and ignores a value it cannot parse.
     */
    private static OffsetDateTime raisedAt(Map<String, Object> exception) {
        Object value = exception.get(RAISED_AT);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String truncate(String text) {
        return text.length() > 100 ? text.substring(0, 100) : text;
    }

    public Optional<OrderException> find(long exceptionId) {
        return sql.queryOne("SELECT exception_id, order_number, name, status, event_id, resolution FROM order_exception"
                        + " WHERE exception_id = ?",
                row -> new OrderException(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                        actions(row.getLong(1)), row.getString(6)), exceptionId);
    }

    /** Marks an open exception answered; the resolution names the action and who (or which rule) sent it. */
    public boolean resolve(long exceptionId, String event, String answeredBy) {
        String resolution = event + " by " + answeredBy;
        return sql.update("UPDATE order_exception SET status = 'ANSWERED', resolution = ?, resolved_at = ? WHERE exception_id = ? AND status = 'OPEN'",
                resolution.length() > 100 ? resolution.substring(0, 100) : resolution, clock.instant(), exceptionId) == 1;
    }

    public List<String> actions(long exceptionId) {
        return sql.query("SELECT event_key FROM order_exception_action WHERE exception_id = ? ORDER BY event_key",
                row -> row.getString(1), exceptionId);
    }

    /**
     * An exception row with the event_keys of its allowed actions; status OPEN, ANSWERED or LATE; resolution
     * says how it was answered, or why it is late.
     */
    public record OrderException(long exceptionId, String orderNumber, String name, String status, String eventId,
                                 List<String> eventKeys, String resolution) {
    }

}
