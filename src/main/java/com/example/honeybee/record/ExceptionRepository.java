package com.example.honeybee.record;

import java.time.Clock;
import java.time.OffsetDateTime;
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

    private final Sql sql;
    private final OrderRepository orders;
    private final Clock clock;

    public ExceptionRepository(Sql sql, OrderRepository orders, Clock clock) {
        this.sql = sql;
        this.orders = orders;
        this.clock = clock;
    }

    /** Records the {@code exception} of an ORDER_EXCEPTION event and puts its order On Hold. */
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
        boolean isNew = sql.insertIfAbsent("INSERT INTO order_exception (exception_id, order_number, patient_id, name, message,"
                        + " status, event_id, received_at) VALUES (?, ?, ?, ?, ?, 'OPEN', ?, ?)",
                exceptionId, orderNumber, patientId, Fields.requiredText(exception, "name"), Fields.text(exception, "message"),
                eventId, clock.instant());
        for (Map<String, Object> action : Fields.objects(exception, "order_actions")) {
            sql.insertIfAbsent("INSERT INTO order_exception_action (exception_id, event_key, description) VALUES (?, ?, ?)",
                    exceptionId, Fields.requiredText(action, "event_key"), Fields.text(action, "action"));
        }
        orders.ensureOrder(orderNumber, patientId);
        orders.applyStatus(orderNumber, OrderStatus.ON_HOLD.label(), eventId);
        if (isNew) {
            LOG.info("exception {} recorded for order {}: waiting for an action (event_id={})", exceptionId, LogSafe.escape(orderNumber),
                    LogSafe.escape(eventId));
        }
    }

    public Optional<OrderException> find(long exceptionId) {
        return sql.queryOne("SELECT exception_id, order_number, name, status, event_id FROM order_exception WHERE exception_id = ?",
                row -> new OrderException(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                        actions(row.getLong(1))), exceptionId);
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

    /** An exception row with the event_keys of its allowed actions. */
    public record OrderException(long exceptionId, String orderNumber, String name, String status, String eventId,
                                 List<String> eventKeys) {
    }

}
