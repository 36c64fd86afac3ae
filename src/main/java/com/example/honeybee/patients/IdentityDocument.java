package com.example.honeybee.patients;

import java.util.Locale;
import java.util.Set;

/**
 * A patient's identity document, as a controlled-substance order carries it in {@code identity_documents}
 * (Partner API reference, "Controlled substances"): {@code type} one of DL (driver's license), PP (passport),
 * MI (military id), PR (permanent resident card), SI (state id), TI (tribal id), OT (other); the document
 * {@code number}; the issuing country and state, 2 letters each. PHI: {@link #toString} shows the type only,
 * and {@link #problem} names what is wrong without quoting a value.
 *
 * @param type           DL, PP, MI, PR, SI, TI or OT (Honeybee's 42216)
 * @param number         the document's number (42208 when missing)
 * @param issuingCountry 2 letters, e.g. US (42217)
 * @param issuingState   2 letters, e.g. TX (42218)
 */
public record IdentityDocument(String type, String number, String issuingCountry, String issuingState) {

    /** Honeybee's document types (42216 for any other). */
    public static final Set<String> TYPES = Set.of("DL", "PP", "MI", "PR", "SI", "TI", "OT");

    /** The document as sent: type, country and state upper-cased and trimmed, the number trimmed. */
    public IdentityDocument normalized() {
        return new IdentityDocument(upper(type), number == null ? null : number.trim(), upper(issuingCountry), upper(issuingState));
    }

    /** What keeps this document from being sent (PHI-free, names the field), or null when it is usable. */
    public String problem() {
        IdentityDocument doc = normalized();
        if (doc.type == null || !TYPES.contains(doc.type)) {
            return "the identity document's type must be one of DL, PP, MI, PR, SI, TI, OT";
        }
        if (doc.number == null || doc.number.isEmpty() || doc.number.length() > 100) {
            return "the identity document has no number";
        }
        if (doc.issuingCountry == null || !doc.issuingCountry.matches("[A-Z]{2}")) {
            return "the identity document's issuing country must be 2 letters";
        }
        if (doc.issuingState == null || !doc.issuingState.matches("[A-Z]{2}")) {
            return "the identity document's issuing state must be 2 letters";
        }
        return null;
    }

    private static String upper(String text) {
        return text == null ? null : text.trim().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "IdentityDocument[" + (type != null && TYPES.contains(upper(type)) ? upper(type) : "?") + "]";
    }
}
