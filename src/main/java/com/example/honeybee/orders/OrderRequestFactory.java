package com.example.honeybee.orders;

import java.util.List;

import com.example.honeybee.patients.IdentityDocument;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.patients.PatientMatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * The POST /orders body in exactly the shape of Honeybee's guide and API reference: {@code patient} (patient_id,
 * patient_safety), {@code items} (the prescription item {@code {"prescription_id": N, "quantity"?: N,
 * "package_size"?: N}} then the add-ons {@code {"sku": "...", "quantity"?: N, "package_size": N}}, as stored with
 * the fill, see {@link OrderItems}), {@code shipping.method_id} (an integer), a top-level {@code address} taken
 * from the partner's record of the patient and, for a controlled substance, {@code identity_documents}: one
 * entry {@code {"type", "number", "issuing_country", "issuing_state"}} (field names from
 * honeybee.order.identity-document-fields; Honeybee does not publish them) from {@link ControlledSubstances}.
 */
public class OrderRequestFactory {

    private final ObjectMapper mapper;
    private final ShippingMethods shipping;
    private final OrderDefaults defaults;
    private final List<String> documentFields;

    /**
     * @param defaults       the items of a fill stored without them (requested before items were stored)
     * @param documentFields the four field names of an identity_documents entry (type, number, issuing country, issuing state)
     */
    public OrderRequestFactory(ObjectMapper mapper, ShippingMethods shipping, OrderDefaults defaults, List<String> documentFields) {
        this.mapper = mapper;
        this.shipping = shipping;
        this.defaults = defaults;
        this.documentFields = ControlledSubstances.fieldNames(documentFields);
    }

    public String build(Exchange exchange) throws Exception {
        Fill fill = exchange.getProperty(OrderPlacement.FILL, Fill.class);
        JsonNode honeybeePatient = exchange.getProperty(PatientMatcher.HONEYBEE_PATIENT, JsonNode.class);
        PartnerPatient partner = exchange.getProperty(PatientMatcher.PARTNER_PATIENT, PartnerPatient.class);
        IdentityDocument document = exchange.getProperty(ControlledSubstances.DOCUMENT, IdentityDocument.class);
        return mapper.writeValueAsString(build(fill, honeybeePatient, partner, document));
    }

    ObjectNode build(Fill fill, JsonNode honeybeePatient, PartnerPatient partner, IdentityDocument document) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode patient = body.putObject("patient");
        patient.put("patient_id", fill.honeybeePatientId());
        patient.set("patient_safety", patientSafety(honeybeePatient));

        OrderItems items = OrderItems.fromJson(mapper, fill.orderItems());
        if (items == null) {
            items = new OrderItems(true, null, null, defaults.addOns());
        }
        body.set("items", items.toItems(mapper, fill.hasPrescription() ? fill.prescriptionId() : null));

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
        if (document != null) {
            ObjectNode entry = body.putArray("identity_documents").addObject();
            entry.put(documentFields.get(0), document.type());
            entry.put(documentFields.get(1), document.number());
            entry.put(documentFields.get(2), document.issuingCountry());
            entry.put(documentFields.get(3), document.issuingState());
        }
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
