package com.example.honeybee.orders;

import java.util.List;

import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.patients.PatientMatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * The POST /orders body in exactly the integration guide's shape: {@code patient} (patient_id,
 * patient_safety), {@code items} ({@code {"prescription_id": N}} then configured add-on
 * {@code {"sku": ...}}), {@code shipping.method_id} (an integer) and a top-level {@code address} taken
 * from the partner's record of the patient.
 */
public class OrderRequestFactory {

    private final ObjectMapper mapper;
    private final ShippingMethods shipping;
    private final List<String> addOnSkus;

    public OrderRequestFactory(ObjectMapper mapper, ShippingMethods shipping, List<String> addOnSkus) {
        this.mapper = mapper;
        this.shipping = shipping;
        this.addOnSkus = List.copyOf(addOnSkus);
    }

    public String build(Exchange exchange) throws Exception {
        Fill fill = exchange.getProperty(OrderPlacement.FILL, Fill.class);
        JsonNode honeybeePatient = exchange.getProperty(PatientMatcher.HONEYBEE_PATIENT, JsonNode.class);
        PartnerPatient partner = exchange.getProperty(PatientMatcher.PARTNER_PATIENT, PartnerPatient.class);
        return mapper.writeValueAsString(build(fill, honeybeePatient, partner));
    }

    ObjectNode build(Fill fill, JsonNode honeybeePatient, PartnerPatient partner) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode patient = body.putObject("patient");
        patient.put("patient_id", fill.honeybeePatientId());
        patient.set("patient_safety", patientSafety(honeybeePatient));

        ArrayNode items = body.putArray("items");
        items.addObject().put("prescription_id", fill.prescriptionId());
        addOnSkus.forEach(sku -> items.addObject().put("sku", sku));

        body.putObject("shipping").put("method_id", shipping.methodId());

        ObjectNode address = body.putObject("address");
        address.put("first_name", partner.firstName());
        address.put("last_name", partner.lastName());
        if (partner.phone() != null) {
            address.put("phone", partner.phone().replaceAll("[^0-9]", ""));
        }
        address.put("street1", partner.street1());
        if (partner.street2() != null) {
            address.put("street2", partner.street2());
        }
        address.put("city", partner.city());
        address.put("state", partner.state());
        address.put("zip", partner.zip());
        return body;
    }

    /** Honeybee's own patient_safety as GET /patients answered it; empty lists when it had none. */
    private ObjectNode patientSafety(JsonNode honeybeePatient) {
        JsonNode patient = honeybeePatient == null ? null
                : honeybeePatient.has("patient") ? honeybeePatient.get("patient") : honeybeePatient;
        ObjectNode safety = mapper.createObjectNode();
        for (String list : new String[] {"medications", "health_conditions", "allergies"}) {
            JsonNode value = patient == null ? null : patient.path("patient_safety").get(list);
            safety.set(list, value != null && value.isArray() ? value.deepCopy() : mapper.createArrayNode());
        }
        return safety;
    }
}
