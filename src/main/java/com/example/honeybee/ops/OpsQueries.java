package com.example.honeybee.ops;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;

/** The read side of the ops API: columns an operator needs, none that hold patient data. */
class OpsQueries {

    private final Sql sql;
    private final Clock clock;

    OpsQueries(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * Prescriptions with the state of their latest fill; status filters on that state (one, or several
     * separated by commas: {@code awaiting_approval,expired,inactive}). A fill of ours still
     * in the outbox gives its outbox status; otherwise the newest order of the prescription gives its order
     * status, whoever placed it (an order Honeybee reported from its Orders Dashboard counts: such a
     * prescription is not awaiting approval). A prescription with neither is {@code inactive} when Honeybee
     * says {@code active: false}, {@code expired} once its expire_date has passed (both as FillRequests
     * refuses a fill: nothing an operator can approve), and otherwise {@code awaiting_approval}.
     */
    List<Map<String, Object>> prescriptions(String patientId, String status) {
        List<Map<String, Object>> rows = OpsApi.rows(sql, "SELECT p.prescription_id, p.patient_id, p.drug_name, p.ndc, p.refills_left,"
                        + " p.expire_date, p.active, f.fill_number AS last_fill, f.status AS fill_status, f.order_number, o.status AS order_status,"
                        + " lo.order_number AS latest_order, lo.status AS latest_order_status,"
                        + " CASE WHEN f.id IS NOT NULL AND f.status <> 'PLACED' THEN LOWER(f.status)"
                        + " WHEN lo.order_number IS NOT NULL THEN LOWER(REPLACE(lo.status, ' ', '_'))"
                        + " WHEN f.id IS NOT NULL THEN LOWER(REPLACE(o.status, ' ', '_'))"
                        + " WHEN p.active = FALSE THEN 'inactive'"
                        + " WHEN p.expire_date <= CAST(? AS TIMESTAMP WITH TIME ZONE) THEN 'expired' ELSE 'awaiting_approval' END AS state"
                        + " FROM prescription p LEFT JOIN fill_request f ON f.prescription_id = p.prescription_id"
                        + "  AND f.fill_number = (SELECT MAX(f2.fill_number) FROM fill_request f2 WHERE f2.prescription_id = p.prescription_id)"
                        + " LEFT JOIN rx_order o ON o.order_number = f.order_number"
                        + " LEFT JOIN rx_order lo ON lo.order_number = (SELECT o2.order_number FROM rx_order_item i"
                        + "  JOIN rx_order o2 ON o2.order_number = i.order_number WHERE i.prescription_id = p.prescription_id"
                        + "  ORDER BY COALESCE(o2.order_date, o2.created_at) DESC, o2.created_at DESC FETCH FIRST 1 ROWS ONLY)"
                        + " WHERE (CAST(? AS VARCHAR(200)) IS NULL OR p.patient_id = ?) ORDER BY p.prescription_id",
                OffsetDateTime.now(clock), patientId, patientId);
        if (status == null || status.isBlank()) {
            return rows;
        }
        List<String> states = List.of(status.split(","));
        return rows.stream().filter(r -> states.contains(r.get("state"))).toList();
    }

    List<Map<String, Object>> orders(String patientId) {
        return OpsApi.rows(sql, "SELECT order_number, patient_id, status, order_date, product_name, strength, form, updated_at FROM rx_order"
                + " WHERE (CAST(? AS VARCHAR(200)) IS NULL OR patient_id = ?) ORDER BY created_at DESC, order_number", patientId, patientId);
    }

    Optional<Map<String, Object>> order(String number) {
        List<Map<String, Object>> found = OpsApi.rows(sql, "SELECT order_number, patient_id, status, order_date, product_name, strength, form"
                + " FROM rx_order WHERE order_number = ?", number);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> order = new java.util.LinkedHashMap<>(found.get(0));
        order.put("prescriptions", OpsApi.rows(sql, "SELECT prescription_id, sku FROM rx_order_item WHERE order_number = ? ORDER BY id", number));
        order.put("status_history", OpsApi.rows(sql, "SELECT status, applied, event_id, recorded_at FROM rx_order_status_history"
                + " WHERE order_number = ? ORDER BY id", number));
        order.put("shipment", OpsApi.rows(sql, "SELECT carrier, method, tracking_no, tracking_url, shipment_date, latest_event_code"
                + " FROM shipment WHERE order_number = ?", number).stream().findFirst().orElse(null));
        order.put("tracking", OpsApi.rows(sql, "SELECT event_code, description, occurred_at FROM shipment_tracking_event"
                + " WHERE order_number = ? ORDER BY occurred_at", number));
        order.put("exceptions", OpsApi.rows(sql, "SELECT exception_id, name, status, resolution,"
                + " CASE WHEN status = 'LATE' THEN TRUE ELSE FALSE END AS late FROM order_exception WHERE order_number = ?"
                + " ORDER BY exception_id", number));
        return Optional.of(order);
    }

    /**
     * Open exceptions with the actions Honeybee offers, and late ones ({@code "late": true}, with the reason
     * in {@code resolution}): recorded for the record, no actions, nothing to answer.
     */
    List<Map<String, Object>> openExceptions() {
        List<Map<String, Object>> open = OpsApi.rows(sql, "SELECT exception_id, order_number, patient_id, name, message, received_at,"
                + " CASE WHEN status = 'LATE' THEN TRUE ELSE FALSE END AS late, resolution"
                + " FROM order_exception WHERE status IN ('OPEN', 'LATE') ORDER BY exception_id");
        for (Map<String, Object> exception : open) {
            exception.put("actions", Boolean.TRUE.equals(exception.get("late")) ? List.of()
                    : OpsApi.rows(sql, "SELECT event_key, description FROM order_exception_action WHERE exception_id = ?"
                            + " ORDER BY event_key", exception.get("exception_id")));
        }
        return open;
    }

    /**
     * Events of a type this bundle does not know (kept, acknowledged, not processed), newest first, at
     * most {@value #UNKNOWN_EVENTS_SHOWN}: what a new Honeybee event type, or a sender's mistake, looks like.
     */
    List<Map<String, Object>> unknownEvents() {
        return OpsApi.rows(sql, "SELECT event_id, event_type, patient_id, received_at FROM inbox WHERE status = 'UNKNOWN_TYPE'"
                + " ORDER BY seq DESC FETCH FIRST " + UNKNOWN_EVENTS_SHOWN + " ROWS ONLY");
    }

    static final int UNKNOWN_EVENTS_SHOWN = 500;

    List<Map<String, Object>> openReminders() {
        return OpsApi.rows(sql, "SELECT id, prescription_id, fill_number, honeybee_patient_id, due_since, created_at FROM refill_reminder"
                + " WHERE status = 'OPEN' ORDER BY id");
    }
}
