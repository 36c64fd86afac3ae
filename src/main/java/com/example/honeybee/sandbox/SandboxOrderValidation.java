package com.example.honeybee.sandbox;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The sandbox's checks of an order body's items and identity documents, as Honeybee's API reference describes
 * them: a prescription item {@code {"prescription_id": N, "quantity"?: N, "package_size"?: N}}, an add-on
 * {@code {"sku": "...", "quantity"?: N, "package_size": N}} (positive whole numbers; a shape problem answers 400
 * naming the field in error_detail); a controlled substance (drug_schedule 2 to 5) needs
 * {@code identity_documents}: 42208 when missing or without a number, 42216 for a type other than DL, PP, MI, PR,
 * SI, TI, OT, 42217 for an issuing country that is not 2 letters, 42218 for an issuing state that is not.
 * Honeybee does not publish the field names inside a document: the sandbox assumes
 * {@code type, number, issuing_country, issuing_state}, the bundle's default (docs/CONTRACT.md).
 */
public final class SandboxOrderValidation {

    /** A refusal: the HTTP status, Honeybee's code (the status itself for a 400), the field and a message. */
    public record Refusal(int status, int code, String field, String message) {
    }

    private static final Set<String> DOCUMENT_TYPES = Set.of("DL", "PP", "MI", "PR", "SI", "TI", "OT");

    private SandboxOrderValidation() {
    }

    /** The first item shape problem (400), or null. Items are already known to hold a prescription_id or a sku. */
    public static Refusal itemShape(JsonNode items) {
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = "items[" + i + "].";
            for (String field : new String[] {"quantity", "package_size"}) {
                JsonNode value = item.get(field);
                if (value != null && (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1)) {
                    return new Refusal(400, 400, where + field, where + field + " must be a positive integer");
                }
            }
            if (item.has("sku") && !item.has("package_size")) {
                return new Refusal(400, 400, where + "package_size", where + "package_size is required for a sku item");
            }
        }
        return null;
    }

    /** Whether a drug_schedule (4, "4", "CIV") is a controlled substance that needs identity documents. */
    public static boolean controlled(JsonNode drugSchedule) {
        if (drugSchedule == null || drugSchedule.isNull()) {
            return false;
        }
        String text = drugSchedule.asText().trim().toUpperCase(Locale.ROOT).replaceFirst("^C", "");
        return Set.of("2", "3", "4", "5", "II", "III", "IV", "V").contains(text);
    }

    /** The identity-document refusal (422) of a controlled-substance order, or null when its documents are usable. */
    public static Refusal identityDocuments(JsonNode body) {
        JsonNode documents = body.get("identity_documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            return new Refusal(422, 42208, "identity_documents", "missing or invalid identity documents");
        }
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            String where = "identity_documents[" + i + "].";
            if (!DOCUMENT_TYPES.contains(document.path("type").asText(""))) {
                return new Refusal(422, 42216, where + "type", "document type must be one of DL, PP, MI, PR, SI, TI, OT");
            }
            if (document.path("number").asText("").isBlank()) {
                return new Refusal(422, 42208, where + "number", "missing or invalid identity documents");
            }
            if (!document.path("issuing_country").asText("").matches("[A-Z]{2}")) {
                return new Refusal(422, 42217, where + "issuing_country", "issuing country must be 2 letters");
            }
            if (!document.path("issuing_state").asText("").matches("[A-Z]{2}")) {
                return new Refusal(422, 42218, where + "issuing_state", "issuing state must be 2 letters");
            }
        }
        return null;
    }

    /** Whether two order bodies ask for the identical order: the same patient and the same items. */
    public static boolean identical(JsonNode patientId, JsonNode items, JsonNode otherPatientId, JsonNode otherItems) {
        return patientId.equals(otherPatientId) && items.equals(otherItems);
    }
}
