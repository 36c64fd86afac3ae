package com.example.honeybee.record;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import org.apache.camel.Body;

/**
 * Shipments and their carrier scans. Scans merge by (event_code, occurred_at), so a repeated or
 * reordered SHIPMENT_UPDATED adds nothing, and the latest scan is the one with the newest time.
 */
public class ShipmentRepository {

    private final Sql sql;
    private final Clock clock;

    public ShipmentRepository(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** Merges the shipment of one medication_dispense; does nothing when the dispense has none. */
    public void merge(@Body Map<String, Object> dispense) {
        Map<String, Object> shipment = Fields.object(dispense, "shipment");
        if (shipment == null) {
            return;
        }
        String orderNumber = Fields.requiredText(dispense, "order_number");
        Instant now = clock.instant();
        Object[] details = {Fields.text(shipment, "tracking_no"), Fields.text(shipment, "tracking_url"),
                Fields.text(shipment, "carrier"), Fields.text(shipment, "method"), Fields.time(shipment, "shipment_date")};
        sql.upsert("UPDATE shipment SET tracking_no = COALESCE(?, tracking_no), tracking_url = COALESCE(?, tracking_url),"
                        + " carrier = COALESCE(?, carrier), method = COALESCE(?, method),"
                        + " shipment_date = COALESCE(?, shipment_date), updated_at = ? WHERE order_number = ?",
                new Object[] {details[0], details[1], details[2], details[3], details[4], now, orderNumber},
                "INSERT INTO shipment (tracking_no, tracking_url, carrier, method, shipment_date, updated_at, order_number)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                new Object[] {details[0], details[1], details[2], details[3], details[4], now, orderNumber});

        List<Map<String, Object>> scans = new ArrayList<>(Fields.objects(shipment, "shipment_updates"));
        Map<String, Object> latest = Fields.object(shipment, "latest_shipment_update");
        if (latest != null) {
            scans.add(latest);
        }
        for (Map<String, Object> scan : scans) {
            sql.insertIfAbsent("INSERT INTO shipment_tracking_event (order_number, event_code, occurred_at, description)"
                            + " VALUES (?, ?, ?, ?)", orderNumber, Fields.requiredText(scan, "event_code"),
                    Fields.time(scan, "occurred_at"), Fields.text(scan, "description"));
        }
        // the latest scan is derived from all scans kept, whatever order the events came in
        sql.update("UPDATE shipment SET latest_event_code = (SELECT e.event_code FROM shipment_tracking_event e"
                + " WHERE e.order_number = shipment.order_number ORDER BY e.occurred_at DESC, e.id DESC FETCH FIRST 1 ROWS ONLY),"
                + " latest_description = (SELECT e.description FROM shipment_tracking_event e"
                + " WHERE e.order_number = shipment.order_number ORDER BY e.occurred_at DESC, e.id DESC FETCH FIRST 1 ROWS ONLY),"
                + " latest_occurred_at = (SELECT MAX(e.occurred_at) FROM shipment_tracking_event e"
                + " WHERE e.order_number = shipment.order_number) WHERE order_number = ?", orderNumber);
    }

    /** The newest time Honeybee reported for the order's shipment (shipment_date or a scan's occurred_at), or null. */
    public OffsetDateTime lastReportedAt(String orderNumber) {
        return find(orderNumber).map(s -> s.latestOccurredAt() == null || (s.shipmentDate() != null
                && s.shipmentDate().isAfter(s.latestOccurredAt())) ? s.shipmentDate() : s.latestOccurredAt()).orElse(null);
    }

    public Optional<Shipment> find(String orderNumber) {
        return sql.queryOne("SELECT * FROM shipment WHERE order_number = ?",
                row -> new Shipment(row.getString("order_number"), row.getString("tracking_no"), row.getString("tracking_url"),
                        row.getString("carrier"), row.getString("method"), Sql.timestamp(row, "shipment_date"),
                        row.getString("latest_event_code"), Sql.timestamp(row, "latest_occurred_at")), orderNumber);
    }

    public List<TrackingEvent> trackingEvents(String orderNumber) {
        return sql.query("SELECT event_code, occurred_at, description FROM shipment_tracking_event WHERE order_number = ?"
                        + " ORDER BY occurred_at",
                row -> new TrackingEvent(row.getString(1), Sql.timestamp(row, "occurred_at"), row.getString(3)), orderNumber);
    }

    /** A shipment row. */
    public record Shipment(String orderNumber, String trackingNo, String trackingUrl, String carrier, String method,
                           OffsetDateTime shipmentDate, String latestEventCode, OffsetDateTime latestOccurredAt) {
    }

    /** One carrier scan. */
    public record TrackingEvent(String eventCode, OffsetDateTime occurredAt, String description) {
    }
}
