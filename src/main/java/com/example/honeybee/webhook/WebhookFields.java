package com.example.honeybee.webhook;

import static com.example.honeybee.webhook.FieldSpec.array;
import static com.example.honeybee.webhook.FieldSpec.bool;
import static com.example.honeybee.webhook.FieldSpec.dateTime;
import static com.example.honeybee.webhook.FieldSpec.decimal;
import static com.example.honeybee.webhook.FieldSpec.drugSchedule;
import static com.example.honeybee.webhook.FieldSpec.id;
import static com.example.honeybee.webhook.FieldSpec.integer;
import static com.example.honeybee.webhook.FieldSpec.object;
import static com.example.honeybee.webhook.FieldSpec.text;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The field catalogue: every webhook field the bundle reads, per event type, with its one declared
 * limit and the columns that store it. Shapes follow Honeybee's integration guide samples and the
 * reference's "Payload variations"; Honeybee publishes no field limits, so the limits are ours
 * (docs/CONTRACT.md, "Webhook field limits", says why each is what it is). Fields not declared here
 * are neither read nor stored (they stay in the inbox body only), so they are not checked.
 */
public final class WebhookFields {

    /** Where the same identifier is written, whichever event carries it. */
    private static final String[] EVENT_ID_COLUMNS = {"inbox.event_id", "inbox_conflict.event_id", "dead_letter.ref_id",
            "rx_order_status_history.event_id", "order_exception.event_id"};
    private static final String[] PATIENT_ID_COLUMNS = {"inbox.patient_id", "prescription.patient_id", "rx_order.patient_id",
            "order_exception.patient_id", "fill_request.honeybee_patient_id", "patient_link.honeybee_patient_id",
            "patient_review.honeybee_patient_id", "refill_reminder.honeybee_patient_id"};
    private static final String[] ORDER_NUMBER_COLUMNS = {"rx_order.order_number", "rx_order_item.order_number",
            "rx_order_status_history.order_number", "shipment.order_number", "shipment_tracking_event.order_number",
            "order_exception.order_number"};
    private static final String[] PRESCRIPTION_ID_COLUMNS = {"prescription.prescription_id", "rx_order_item.prescription_id",
            "fill_request.prescription_id"};

    /**
     * Elements of one array at most, per array (docs/CONTRACT.md, "Webhook field limits"): Honeybee's samples carry one
     * request, one dispense, a handful of carrier scans and two actions; each element costs processing time and
     * database writes, so one event's cost is bounded here (an RX_UPDATED with 20,000 dispenses took 53 s).
     */
    public static final int MAX_MEDICATION_REQUESTS = 50;
    public static final int MAX_MEDICATION_DISPENSES = 100;
    public static final int MAX_SHIPMENT_UPDATES = 200;
    public static final int MAX_ORDER_ACTIONS = 50;
    /** Elements of all the event's declared arrays together, at most: the per-array caps multiply, this does not. */
    public static final int MAX_ELEMENTS_PER_EVENT = 1000;

    /** Every event, of any type, known or not. */
    public static final List<FieldSpec> COMMON = List.of(
            id("event_id", 200, EVENT_ID_COLUMNS).mandatory(),
            id("event_type", 100, "inbox.event_type").mandatory(),
            id("patient_id", 200, PATIENT_ID_COLUMNS));

    private static final FieldSpec ID = integer("id", 1, Long.MAX_VALUE, PRESCRIPTION_ID_COLUMNS);
    private static final FieldSpec PRESCRIPTION_ID = integer("prescription_id", 1, Long.MAX_VALUE, PRESCRIPTION_ID_COLUMNS);

    /** What a medication request says of its prescription (RX_RECEIVED, RX_UPDATED). */
    private static final List<FieldSpec> PRESCRIPTION = List.of(ID, PRESCRIPTION_ID,
            bool("active", "prescription.active"),
            text("drug_name", 300, "prescription.drug_name"),
            text("ndc", 20, "prescription.ndc"),
            text("sig_text", 2000, "prescription.sig_text"),
            // NCPDP quantities carry at most 3 decimals; a billion units is beyond any prescription
            decimal("written_qty", "0", "999999999.999", 3, "prescription.written_qty"),
            // NCPDP SCRIPT allows at most 99 refills; 9999 leaves room for a sender that counts differently
            integer("refills_left", 0, 9999, "prescription.refills_left"),
            dateTime("expire_date", "prescription.expire_date"),
            dateTime("receive_date", "prescription.receive_date"),
            drugSchedule("drug_schedule", "prescription.drug_schedule"),
            text("prescriber_name", 300, "prescription.prescriber_name"));

    private static final FieldSpec[] TRACKING_EVENT = {
            id("event_code", 20, "shipment_tracking_event.event_code", "shipment.latest_event_code").mandatory(),
            text("description", 300, "shipment_tracking_event.description", "shipment.latest_description"),
            dateTime("occurred_at", "shipment_tracking_event.occurred_at", "shipment.latest_occurred_at").mandatory()};

    private static final FieldSpec MEDICATION_DISPENSES = array("medication_dispenses", MAX_MEDICATION_DISPENSES,
            id("order_number", 100, ORDER_NUMBER_COLUMNS).mandatory(),
            id("order_status", 30, "rx_order_status_history.status").mandatory(),
            dateTime("order_date", "rx_order.order_date"),
            text("product_name", 300, "rx_order.product_name"),
            text("strength", 100, "rx_order.strength"),
            text("form", 100, "rx_order.form"),
            object("shipment",
                    text("tracking_no", 100, "shipment.tracking_no"),
                    text("tracking_url", 2048, "shipment.tracking_url"),
                    text("carrier", 100, "shipment.carrier"),
                    text("method", 200, "shipment.method"),
                    dateTime("shipment_date", "shipment.shipment_date"),
                    object("latest_shipment_update", TRACKING_EVENT),
                    array("shipment_updates", MAX_SHIPMENT_UPDATES, TRACKING_EVENT)));

    private static final Map<EventType, List<FieldSpec>> BY_TYPE = new EnumMap<>(Map.of(
            EventType.RX_RECEIVED, List.of(array("medication_requests", MAX_MEDICATION_REQUESTS, PRESCRIPTION.toArray(FieldSpec[]::new)).mandatory()),
            EventType.RX_UPDATED, List.of(array("medication_requests", MAX_MEDICATION_REQUESTS, plus(PRESCRIPTION, MEDICATION_DISPENSES)).mandatory()),
            // a shipment update reads only the prescription's id and the dispenses
            EventType.SHIPMENT_UPDATED, List.of(array("medication_requests", MAX_MEDICATION_REQUESTS, ID, PRESCRIPTION_ID, MEDICATION_DISPENSES).mandatory()),
            EventType.ORDER_EXCEPTION, List.of(object("exception",
                    integer("id", 1, Long.MAX_VALUE, "order_exception.exception_id", "order_exception_action.exception_id").mandatory(),
                    id("order_number", 100, ORDER_NUMBER_COLUMNS).mandatory(),
                    text("name", 200, "order_exception.name").mandatory(),
                    text("message", 2000, "order_exception.message"),
                    array("order_actions", MAX_ORDER_ACTIONS,
                            id("event_key", 100, "order_exception_action.event_key").mandatory(),
                            text("action", 2000, "order_exception_action.description"))).mandatory())));

    private WebhookFields() {
    }

    /** The fields of an event of this type, beyond {@link #COMMON}. */
    public static List<FieldSpec> of(EventType type) {
        return BY_TYPE.get(type);
    }

    /** Every declared field with its dotted path ({@code medication_requests[].medication_dispenses[].order_number}), depth first. */
    public static List<Declared> all() {
        List<Declared> all = new ArrayList<>();
        COMMON.forEach(field -> walk(null, "", field, all));
        for (EventType type : EventType.values()) {
            of(type).forEach(field -> walk(type, "", field, all));
        }
        return all;
    }

    /**
     * How many elements each declared array of a parsed event body holds in all ({@code medication_requests=1
     * medication_dispenses=3}), for the one log line an event gets instead of one per element. Names only, no values.
     */
    public static String elementCounts(Object body) {
        java.util.Set<String> arrays = new java.util.HashSet<>();
        all().stream().filter(d -> d.field().kind() == FieldSpec.Kind.ARRAY).forEach(d -> arrays.add(d.field().name()));
        Map<String, Integer> counts = new java.util.TreeMap<>();
        countElements(body, arrays, counts);
        StringBuilder text = new StringBuilder();
        counts.forEach((name, count) -> text.append(text.length() == 0 ? "" : " ").append(name).append('=').append(count));
        return text.toString();
    }

    private static void countElements(Object node, java.util.Set<String> arrays, Map<String, Integer> counts) {
        if (node instanceof Map<?, ?> object) {
            object.forEach((name, value) -> {
                if (value instanceof List<?> list && arrays.contains(String.valueOf(name))) {
                    counts.merge(String.valueOf(name), list.size(), Integer::sum);
                }
                countElements(value, arrays, counts);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(element -> countElements(element, arrays, counts));
        }
    }

    /** A declared field with the event type it belongs to (null: every type) and its path. */
    public record Declared(EventType type, String path, FieldSpec field) {
    }

    private static void walk(EventType type, String parent, FieldSpec field, List<Declared> into) {
        String path = parent + field.name() + (field.kind() == FieldSpec.Kind.ARRAY ? "[]" : "");
        into.add(new Declared(type, path, field));
        field.children().forEach(child -> walk(type, path + ".", child, into));
    }

    private static FieldSpec[] plus(List<FieldSpec> fields, FieldSpec more) {
        List<FieldSpec> all = new ArrayList<>(fields);
        all.add(more);
        return all.toArray(FieldSpec[]::new);
    }
}
