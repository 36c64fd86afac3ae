package com.example.honeybee.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.address.ShippingAddress;
import com.example.honeybee.db.Sql;
import com.example.honeybee.patients.PartnerPatientDirectory;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the ops API's order detail adds about address corrections and reorders, and the address the page
 * prefills its correction form with.
 * <ul>
 * <li>{@code reorders}: the reorders of this order (reorder_id, reorder_number, reason, status, new_order_number,
 * requested_by, requested_at, last_error);</li>
 * <li>{@code reorder_of}: when a reorder created this order, the original (reorder_id, original_order_number, reason),
 * else null, so the link shows both ways;</li>
 * <li>{@code address_changes}: each correction attempt (change_id, exception_id, requested_by, flags, outcome,
 * http_status, error_code, error_fields, request_id, changed_at), never the address.</li>
 * </ul>
 */
class OrderLinks {

    private final Sql sql;
    private final PartnerPatientDirectory directory;
    private final ObjectMapper mapper = new ObjectMapper();

    OrderLinks(Sql sql, PartnerPatientDirectory directory) {
        this.sql = sql;
        this.directory = directory;
    }

    Map<String, Object> addTo(Map<String, Object> order) {
        Object number = order.get("order_number");
        order.put("reorders", OpsApi.rows(sql, "SELECT id AS reorder_id, reorder_number, reason, status, new_order_number, requested_by,"
                + " created_at AS requested_at, last_error FROM reorder_request WHERE original_order_number = ? ORDER BY reorder_number", number));
        order.put("reorder_of", OpsApi.rows(sql, "SELECT id AS reorder_id, original_order_number, reason FROM reorder_request"
                + " WHERE new_order_number = ?", number).stream().findFirst().orElse(null));
        List<Map<String, Object>> changes = OpsApi.rows(sql, "SELECT id AS change_id, exception_id, requested_by, accept_suggested,"
                + " ignore_warnings, outcome, http_status, error_code, error_fields, request_id, changed_at FROM order_address_change"
                + " WHERE order_number = ? ORDER BY id", number);
        for (Map<String, Object> change : changes) {
            Object fields = change.get("error_fields");
            change.put("error_fields", fields == null || fields.toString().isEmpty() ? List.of() : List.of(fields.toString().split(",")));
        }
        order.put("address_changes", changes);
        return order;
    }

    /**
     * The shipping address the partner's record holds for the order's patient (found through patient_link), to prefill
     * the correction form. Patient data: served to the ops token's holder only, never logged.
     *
     * @throws OpsRequestException 404 for an unknown order, or a patient not linked to a partner record
     */
    Map<String, Object> partnerAddress(String orderNumber) {
        Optional<String> patientId = sql.queryOne("SELECT patient_id FROM rx_order WHERE order_number = ?", row -> row.getString(1), orderNumber);
        if (patientId.isEmpty()) {
            throw new OpsRequestException(404, "order " + orderNumber + " is not known");
        }
        Optional<String> partnerId = sql.queryOne("SELECT partner_patient_id FROM patient_link WHERE honeybee_patient_id = ?",
                row -> row.getString(1), patientId.get());
        var patient = partnerId.flatMap(directory::find).orElseThrow(() -> new OpsRequestException(404, "the patient of order "
                + orderNumber + " is not linked to a partner record: type the address"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("order_number", orderNumber);
        answer.put("partner_patient_id", patient.partnerPatientId());
        answer.put("address", mapper.convertValue(ShippingAddress.of(patient).toJson(mapper), Map.class));
        return answer;
    }
}
