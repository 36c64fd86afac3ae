package com.example.honeybee.api;

import java.util.Map;

/** Honeybee's numeric 422 codes, as its API reference lists them. */
public final class ErrorCodes {

    private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(42201, "invalid patient email"),
            Map.entry(42202, "invalid patient first name"),
            Map.entry(42203, "invalid patient last name"),
            Map.entry(42204, "invalid patient phone"),
            Map.entry(42205, "invalid patient gender"),
            Map.entry(42206, "invalid patient id"),
            Map.entry(42208, "missing or invalid identity documents (a controlled substance needs identity_documents)"),
            Map.entry(42216, "invalid identity document type (one of DL, PP, MI, PR, SI, TI, OT)"),
            Map.entry(42217, "invalid identity document issuing country (2 letters)"),
            Map.entry(42218, "invalid identity document issuing state (2 letters)"),
            Map.entry(42221, "invalid address first name"),
            Map.entry(42222, "invalid address last name"),
            Map.entry(42223, "invalid address street1"),
            Map.entry(42225, "invalid address city"),
            Map.entry(42226, "invalid address state abbreviation"),
            Map.entry(42227, "invalid address zip"),
            Map.entry(42228, "address cannot be updated: already shipped"),
            Map.entry(42229, "controlled-substance address update needs approval"),
            Map.entry(42230, "invalid address"),
            Map.entry(42231, "state cannot be shipped to"),
            Map.entry(42241, "invalid item NDC"),
            Map.entry(42293, "shipping method not allowed for a PO Box or general-delivery address"));

    private ErrorCodes() {
    }

    public static String describe(String code) {
        if (code == null) {
            return "no error code";
        }
        try {
            String known = DESCRIPTIONS.get(Integer.parseInt(code));
            if (known != null) {
                return known;
            }
            return code.startsWith("4224") ? "invalid order item" : "unlisted error code";
        } catch (NumberFormatException e) {
            return "unlisted error code";
        }
    }
}
