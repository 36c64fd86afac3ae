package com.example.honeybee.record;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders (fills) as Honeybee reports them in medication_dispenses and exceptions. A reported status is
 * always written to the history; it becomes the order's status only when {@link OrderStatus#canMoveTo}
 * allows it, with an optimistic version check so concurrent events cannot overwrite each other.
 */
public class OrderRepository {

    private static final Logger LOG = LoggerFactory.getLogger(OrderRepository.class);
    private static final int MAX_VERSION_RETRIES = 10;

    private final Sql sql;
    private final Clock clock;

    public OrderRepository(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** Records one medication_dispense of RX_UPDATED or SHIPMENT_UPDATED. */
    public void recordDispense(@Header(HoneybeeHeaders.PATIENT_ID) String patientId,
                               @Header(HoneybeeHeaders.PRESCRIPTION_ID) Long prescriptionId,
                               @Header(HoneybeeHeaders.EVENT_ID) String eventId,
                               @Body Map<String, Object> dispense) {
        String orderNumber = Fields.requiredText(dispense, "order_number");
        Instant now = clock.instant();
        sql.upsert("UPDATE rx_order SET order_date = COALESCE(order_date, ?), product_name = COALESCE(?, product_name),"
                        + " strength = COALESCE(?, strength), form = COALESCE(?, form), patient_id = COALESCE(patient_id, ?)"
                        + " WHERE order_number = ?",
                new Object[] {Fields.time(dispense, "order_date"), Fields.text(dispense, "product_name"),
                        Fields.text(dispense, "strength"), Fields.text(dispense, "form"), patientId, orderNumber},
                "INSERT INTO rx_order (order_number, patient_id, status, order_date, product_name, strength, form, created_at, updated_at)"
                        + " VALUES (?, ?, 'Processing', ?, ?, ?, ?, ?, ?)",
                new Object[] {orderNumber, patientId, Fields.time(dispense, "order_date"), Fields.text(dispense, "product_name"),
                        Fields.text(dispense, "strength"), Fields.text(dispense, "form"), now, now});
        if (prescriptionId != null) {
            sql.insertIfAbsent("INSERT INTO rx_order_item (order_number, prescription_id, item_key) VALUES (?, ?, ?)",
                    orderNumber, prescriptionId, "rx:" + prescriptionId);
        }
        applyStatus(orderNumber, Fields.requiredText(dispense, "order_status"), eventId);
    }

    /** Records an order this bundle placed: the order, its prescription item, and its first status. */
    public void recordPlaced(String orderNumber, String patientId, long prescriptionId, String status, String source) {
        ensureOrder(orderNumber, patientId);
        sql.insertIfAbsent("INSERT INTO rx_order_item (order_number, prescription_id, item_key) VALUES (?, ?, ?)",
                orderNumber, prescriptionId, "rx:" + prescriptionId);
        applyStatus(orderNumber, status, source);
    }

    /** Records an order of add-on items alone this bundle placed: the order, its SKU items, and its first status. */
    public void recordPlacedAddOns(String orderNumber, String patientId, List<String> skus, String status, String source) {
        ensureOrder(orderNumber, patientId);
        for (String sku : skus) {
            sql.insertIfAbsent("INSERT INTO rx_order_item (order_number, sku, item_key) VALUES (?, ?, ?)", orderNumber, sku, "sku:" + sku);
        }
        applyStatus(orderNumber, status, source);
    }

    /** Makes sure an order row exists (an exception may name an order no dispense has reported yet). */
    public void ensureOrder(String orderNumber, String patientId) {
        Instant now = clock.instant();
        sql.insertIfAbsent("INSERT INTO rx_order (order_number, patient_id, status, created_at, updated_at)"
                + " VALUES (?, ?, 'Processing', ?, ?)", orderNumber, patientId, now, now);
    }

    /**
     * Applies a reported status if the ranking allows it, and records it in the history either way.
     * Returns whether the order's status changed.
     */
    public boolean applyStatus(String orderNumber, String reported, String eventId) {
        Optional<OrderStatus> incoming = OrderStatus.parse(reported);
        boolean holds = incoming.isPresent() && moveTo(orderNumber, incoming.get());
        if (incoming.isEmpty()) {
            LOG.warn("order {} reported with an unknown status; kept its current status (event_id={})", LogSafe.escape(orderNumber),
                    LogSafe.escape(eventId));
        }
        String label = incoming.map(OrderStatus::label).orElse(truncate(reported));
        boolean recorded = sql.insertIfAbsent("INSERT INTO rx_order_status_history (order_number, status, event_id, applied, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?)", orderNumber, label, eventId, holds, clock.instant());
        if (recorded) {
            // DEBUG: an event may carry many dispenses; its flow logs one line per event (routes/rx-updated, shipment-updated)
            LOG.debug("order {} reported {}{} (event_id={})", LogSafe.escape(orderNumber), LogSafe.escape(label),
                    holds ? "" : ", kept its later status", LogSafe.escape(eventId));
        }
        return holds;
    }

    /** Keeps a reported status in the history without applying it (a late exception's On Hold). */
    public void recordKeptBack(String orderNumber, String reported, String eventId) {
        sql.insertIfAbsent("INSERT INTO rx_order_status_history (order_number, status, event_id, applied, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?)", orderNumber, reported, eventId, false, clock.instant());
    }

    /** Moves the order to the status if the ranking allows; true when the order holds that status afterwards. */
    private boolean moveTo(String orderNumber, OrderStatus incoming) {
        for (int attempt = 0; attempt < MAX_VERSION_RETRIES; attempt++) {
            Optional<Order> current = find(orderNumber);
            if (current.isEmpty()) {
                return false;
            }
            OrderStatus from = OrderStatus.parse(current.get().status()).orElse(OrderStatus.PROCESSING);
            if (from == incoming) {
                return true;
            }
            if (!from.canMoveTo(incoming)) {
                return false;
            }
            if (sql.update("UPDATE rx_order SET status = ?, version = version + 1, updated_at = ?"
                            + " WHERE order_number = ? AND version = ?",
                    incoming.label(), clock.instant(), orderNumber, current.get().version()) == 1) {
                return true;
            }
        }
        throw new IllegalStateException("order " + orderNumber + " kept changing under concurrent updates");
    }

    public Optional<Order> find(String orderNumber) {
        return sql.queryOne("SELECT order_number, patient_id, status, order_date, version FROM rx_order WHERE order_number = ?",
                row -> new Order(row.getString(1), row.getString(2), row.getString(3), Sql.timestamp(row, "order_date"),
                        row.getInt(5)), orderNumber);
    }

    public List<StatusReport> history(String orderNumber) {
        return sql.query("SELECT status, event_id, applied, recorded_at FROM rx_order_status_history"
                        + " WHERE order_number = ? ORDER BY id",
                row -> new StatusReport(row.getString(1), row.getString(2), row.getBoolean(3), Sql.timestamp(row, "recorded_at")),
                orderNumber);
    }

    public List<Long> prescriptionIds(String orderNumber) {
        return sql.query("SELECT prescription_id FROM rx_order_item WHERE order_number = ? AND prescription_id IS NOT NULL"
                + " ORDER BY prescription_id", row -> row.getLong(1), orderNumber);
    }

    private static String truncate(String text) {
        return text.length() > 30 ? text.substring(0, 30) : text;
    }

    /** An order row. */
    public record Order(String orderNumber, String patientId, String status, OffsetDateTime orderDate, int version) {
    }

    /** One status an event reported for an order, and whether it became the order's status. */
    public record StatusReport(String status, String eventId, boolean applied, OffsetDateTime recordedAt) {
    }
}
