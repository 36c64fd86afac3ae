package com.example.honeybee.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.orders.ExceptionActions;
import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.support.HoneybeeHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the partner in the demo: approves the first fill of the Test Prescription, orders a refill
 * once the first order is delivered, answers the exception the sandbox raises by correcting the order's
 * shipping address through the Partner API and then verifying, reorders the first order once both are
 * delivered (a lost package), and narrates every step of the prescription's life as the local record
 * shows it. Narration carries ids, statuses and tracking numbers; never patient data, nor the drug (a drug name is PHI beside an id). The
 * closing DONE line says only what the local record shows happened.
 */
public class DemoDriver {

    private static final Logger LOG = LoggerFactory.getLogger("DEMO");

    private final Sql sql;
    private final FillRepository fills;
    private final Runnable whenDone;
    private ProducerTemplate template;
    private volatile Long prescriptionId;
    private final Map<String, String> seenStatus = new HashMap<>();
    private final Map<Long, Boolean> answered = new HashMap<>();
    private volatile boolean complete;
    private volatile String reordered;

    public DemoDriver(Sql sql, FillRepository fills, Runnable whenDone) {
        this.sql = sql;
        this.fills = fills;
        this.whenDone = whenDone;
    }

    public void setTemplate(ProducerTemplate template) {
        this.template = template;
    }

    /**
     * Whether the database is the fresh one the demo needs: no prescription recorded yet. The sandbox numbers
     * every run from 300001, so on a database kept from an earlier run (HONEYBEE_DB_URL pointing at one) the
     * walkthrough would overwrite that run's prescription and narrate its orders; it is not started then.
     */
    public boolean freshDatabase() {
        long recorded = sql.count("SELECT COUNT(*) FROM prescription");
        if (recorded > 0) {
            LOG.warn("! The demo walks through a fresh database only; this one already holds {} prescription(s)."
                    + " The demo profile's own database is in memory: unset HONEYBEE_DB_URL (honeybee.db.url) to use it.", recorded);
        }
        return recorded == 0;
    }

    /** The sandbox answered the Test Prescription call. */
    public void prescribed(@Body JsonNode answer) {
        prescriptionId = answer.path("prescription_id").asLong();
        say("1. A prescriber sends an e-Rx: the sandbox's Test Prescription created prescription %d for Honeybee patient %s;"
                + " Honeybee now fires RX_RECEIVED", prescriptionId, answer.path("patient_id").asText());
    }

    /** One look at the local record; acts where the partner would. */
    public synchronized void step() {
        if (prescriptionId == null || complete) {
            return;
        }
        if (sql.count("SELECT COUNT(*) FROM prescription WHERE prescription_id = ?", prescriptionId) == 0) {
            return;
        }
        List<Fill> all = fills.forPrescription(prescriptionId);
        if (all.isEmpty()) {
            say("2. RX_RECEIVED stored and processed: prescription %d waits for approval (fill policy: approval)", prescriptionId);
            say("3. The partner approves the first fill (direct:honeybee-request-fill)");
            requestFill();
            return;
        }
        for (Fill fill : all) {
            narrate(fill);
        }
        answerOpenExceptions();
        Fill last = all.get(all.size() - 1);
        String lastStatus = last.orderNumber() == null ? null : seenStatus.get(last.orderNumber());
        if (all.size() == 1 && "Delivered".equals(lastStatus)) {
            Integer refills = sql.queryOne("SELECT refills_left FROM prescription WHERE prescription_id = ?",
                    row -> (Integer) row.getObject(1), prescriptionId).orElse(null);
            say("4. The partner orders a refill of the same prescription %d (refills_left %s)", prescriptionId, refills);
            requestFill();
        } else if (all.size() == 2 && "Delivered".equals(lastStatus) && reordered == null) {
            reordered = all.get(0).orderNumber();
            say("6. The patient reports the package of order %s lost: the partner reorders it (direct:honeybee-reorder, reason lost)",
                    reordered);
            template.requestBodyAndHeaders("direct:honeybee-reorder", Map.of("reason", "lost", "note", "demo: package lost"),
                    Map.of("HoneybeeOrderNumber", reordered, "HoneybeeRequestedBy", "demo partner"));
        } else if (reordered != null) {
            narrateReorder(all);
        }
    }

    /** The reorder's replacement order, narrated like a fill's; DONE once it is delivered or the reorder was refused. */
    private void narrateReorder(List<Fill> all) {
        Optional<String[]> reorder = sql.queryOne("SELECT status, new_order_number, last_error FROM reorder_request"
                + " WHERE original_order_number = ? ORDER BY reorder_number DESC FETCH FIRST 1 ROWS ONLY",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)}, reordered);
        if (reorder.isEmpty()) {
            return;
        }
        String replacement = reorder.get()[1];
        if (replacement != null) {
            String status = sql.queryOne("SELECT status FROM rx_order WHERE order_number = ?", row -> row.getString(1), replacement)
                    .orElse(null);
            if (status != null && !status.equals(seenStatus.get(replacement))) {
                seenStatus.put(replacement, status);
                say(status.equals("Processing") ? "   POST /orders/%s/reorders placed the replacement as order %s (Processing)"
                        : "   replacement order %2$s: %3$s", reordered, replacement, status);
            }
        }
        boolean delivered = replacement != null && "Delivered".equals(seenStatus.get(replacement));
        boolean refused = "DEAD".equals(reorder.get()[0]);
        if (refused) {
            say("! the reorder of order %s was refused: %s", reordered, reorder.get()[2]);
        }
        if (delivered || refused) {
            complete = true;
            long corrected = sql.count("SELECT COUNT(*) FROM order_address_change WHERE outcome = 'CHANGED'");
            long answeredCount = sql.count("SELECT COUNT(*) FROM order_exception WHERE status = 'ANSWERED'");
            say("DONE: prescription %d was filled, refilled and delivered twice; %d exception%s answered%s; order %s %s."
                    + " The bundle keeps running (webhooks, sandbox); stop it with Ctrl+C.", prescriptionId, answeredCount,
                    answeredCount == 1 ? " was" : "s were",
                    corrected == 0 ? "" : " after " + (corrected == 1 ? "an address correction" : corrected + " address corrections"),
                    reordered, delivered ? "was reordered (lost package) as order " + replacement + " and delivered"
                            : "could not be reordered");
            whenDone.run();
        }
    }

    public boolean isComplete() {
        return complete;
    }

    private void narrate(Fill fill) {
        if (fill.orderNumber() == null) {
            if (fill.status() == FillStatus.DEAD || fill.status() == FillStatus.NEEDS_REVIEW) {
                say("! fill %d of prescription %d is %s: %s", fill.fillNumber(), prescriptionId, fill.status(), fill.lastError());
            }
            return;
        }
        String status = sql.queryOne("SELECT status FROM rx_order WHERE order_number = ?", row -> row.getString(1), fill.orderNumber())
                .orElse(null);
        if (status == null || status.equals(seenStatus.get(fill.orderNumber()))) {
            return;
        }
        seenStatus.put(fill.orderNumber(), status);
        String which = fill.isRefill() ? "refill" : "first fill";
        switch (status) {
            case "Processing" -> say("   POST /orders placed the %s as order %s (Processing)", which, fill.orderNumber());
            case "Filling" -> say("   order %s: Filling (RX_UPDATED)", fill.orderNumber());
            case "Shipped" -> {
                String tracking = sql.queryOne("SELECT carrier, tracking_no FROM shipment WHERE order_number = ?",
                        row -> row.getString(1) + " " + row.getString(2), fill.orderNumber()).orElse("tracking pending");
                say("   order %s: Shipped with %s (SHIPMENT_UPDATED)", fill.orderNumber(), tracking);
            }
            case "Delivered" -> say("   order %s: Delivered (SHIPMENT_UPDATED, %d carrier scans recorded)", fill.orderNumber(),
                    sql.count("SELECT COUNT(*) FROM shipment_tracking_event WHERE order_number = ?", fill.orderNumber()));
            case "On Hold" -> say("   order %s: On Hold (ORDER_EXCEPTION)", fill.orderNumber());
            default -> say("   order %s: %s", fill.orderNumber(), status);
        }
    }

    private void answerOpenExceptions() {
        List<long[]> open = sql.query("SELECT exception_id FROM order_exception WHERE status = 'OPEN'", row -> new long[] {row.getLong(1)});
        for (long[] row : open) {
            long id = row[0];
            if (answered.putIfAbsent(id, true) != null) {
                continue;
            }
            String name = sql.queryOne("SELECT name FROM order_exception WHERE exception_id = ?", r -> r.getString(1), id).orElse("?");
            String order = sql.queryOne("SELECT order_number FROM order_exception WHERE exception_id = ?", r -> r.getString(1), id)
                    .orElse("?");
            say("5. Exception %d '%s' puts order %s on hold; the partner corrects its shipping address, then answers verified_by_partner",
                    id, name, order);
            correctAddress(order);
            template.requestBodyAndHeaders("direct:honeybee-order-action", null, Map.of(ExceptionActions.EXCEPTION_ID, id,
                    ExceptionActions.ACTION, "verified_by_partner", ExceptionActions.ANSWERED_BY, "demo partner"));
            say("   VERIFIED_BY_PARTNER sent for exception %d; Honeybee resumes filling", id);
        }
    }

    /**
     * PUT /orders/{order_number}/shipping_address with the address the partner's record holds for the order's
     * patient (the demo's "corrected" address; the sandbox's hold is staged), through direct:honeybee-correct-shipping-address.
     */
    private void correctAddress(String order) {
        Optional<Map<String, Object>> address = sql.queryOne("SELECT p.first_name, p.last_name, p.street1, p.street2, p.city, p.state,"
                        + " p.zip, p.phone FROM rx_order o JOIN patient_link l ON l.honeybee_patient_id = o.patient_id"
                        + " JOIN partner_patient p ON p.partner_patient_id = l.partner_patient_id WHERE o.order_number = ?",
                row -> {
                    Map<String, Object> fields = new HashMap<>();
                    String[] names = {"first_name", "last_name", "street1", "street2", "city", "state", "zip", "phone"};
                    for (int i = 0; i < names.length; i++) {
                        if (row.getString(i + 1) != null && !row.getString(i + 1).isBlank()) {
                            fields.put(names[i], row.getString(i + 1));
                        }
                    }
                    return fields;
                }, order);
        if (address.isEmpty()) {
            say("   ! no partner record is linked to order %s: its address is left as it is", order);
            return;
        }
        try {
            Object answer = template.requestBodyAndHeaders("direct:honeybee-correct-shipping-address", address.get(),
                    Map.of("HoneybeeOrderNumber", order, "HoneybeeRequestedBy", "demo partner"));
            Object requestId = answer instanceof Map<?, ?> map ? map.get("request_id") : null;
            say("   PUT /orders/%s/shipping_address: Honeybee took the corrected address (X-Request-Id %s)", order, requestId);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            say("   ! the address correction of order %s was refused: %s", order,
                    cause instanceof com.example.honeybee.support.PhiFreeMessage ? cause.getMessage() : cause.getClass().getSimpleName());
        }
    }

    private void requestFill() {
        template.requestBodyAndHeaders("direct:honeybee-request-fill", null,
                Map.of(HoneybeeHeaders.PRESCRIPTION_ID, prescriptionId, "HoneybeeRequestedBy", "demo partner"));
    }

    private static void say(String format, Object... args) {
        LOG.info("▶ " + String.format(format, args));
    }
}
