package com.example.honeybee.address;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.example.honeybee.patients.PartnerPatient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A shipping address as the ops API takes it and Honeybee's order {@code address} object carries it (snake_case:
 * first_name, last_name, street1, street2, city, state, zip, phone), with Honeybee's two validation flags
 * ({@code accept_suggested}, {@code ignore_warnings}; Honeybee's "More of the Partner API"). Patient data: never
 * logged, never in an exception message ({@link #toString} names no value).
 *
 * @param acceptSuggested null when the request left it out (the configured default applies)
 * @param ignoreWarnings  null when the request left it out (the configured default applies)
 */
public record ShippingAddress(String firstName, String lastName, String street1, String street2, String city, String state, String zip,
                              String phone, Boolean acceptSuggested, Boolean ignoreWarnings) {

    /** The fields a request may carry; any other name is refused (a typo such as "zipcode" would otherwise be lost). */
    public static final List<String> FIELDS = List.of("first_name", "last_name", "street1", "street2", "city", "state", "zip", "phone",
            "accept_suggested", "ignore_warnings");
    private static final Set<String> REQUIRED = Set.of("first_name", "last_name", "street1", "city", "state", "zip");
    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    private static final Pattern ZIP = Pattern.compile("\\d{5}(-\\d{4})?");
    /** Printable text only: no control, format (bidi, zero-width) or unpaired surrogate characters. */
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\u2028\\u2029]*");
    static final int MAX_NAME = 100;
    static final int MAX_STREET = 200;
    static final int MAX_CITY = 100;

    /**
     * Reads and checks a request body.
     *
     * @throws AddressRefusedException 400 naming the first field that is missing, of the wrong type, too long, or not valid
     */
    public static ShippingAddress parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AddressRefusedException.badRequest("the body must be a JSON object with " + String.join(", ", FIELDS), "body");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw AddressRefusedException.badRequest("unknown field '" + abbreviate(name) + "'; the fields are " + String.join(", ", FIELDS),
                        abbreviate(name));
            }
        }
        return new ShippingAddress(text(body, "first_name", MAX_NAME), text(body, "last_name", MAX_NAME),
                text(body, "street1", MAX_STREET), text(body, "street2", MAX_STREET), text(body, "city", MAX_CITY),
                state(body), zip(body), phone(body), flag(body, "accept_suggested"), flag(body, "ignore_warnings"));
    }

    /** The address the partner's record of the patient holds (the page's prefill); flags left to the defaults. */
    public static ShippingAddress of(PartnerPatient patient) {
        return new ShippingAddress(patient.firstName(), patient.lastName(), patient.street1(), patient.street2(), patient.city(),
                patient.state(), patient.zip(), patient.phone(), null, null);
    }

    /** Honeybee's order {@code address} object, the flags filled in from the defaults where the request had none. */
    public ObjectNode toHoneybee(ObjectMapper mapper, boolean defaultAcceptSuggested, boolean defaultIgnoreWarnings) {
        ObjectNode address = toJson(mapper);
        address.put("accept_suggested", acceptSuggested != null ? acceptSuggested : defaultAcceptSuggested);
        address.put("ignore_warnings", ignoreWarnings != null ? ignoreWarnings : defaultIgnoreWarnings);
        return address;
    }

    /** The address as the ops API answers it (no flags), absent fields left out; the phone as digits. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode address = mapper.createObjectNode();
        address.put("first_name", firstName).put("last_name", lastName).put("street1", street1);
        if (street2 != null && !street2.isBlank()) {
            address.put("street2", street2);
        }
        address.put("city", city).put("state", state).put("zip", zip);
        if (phone != null && !phone.isBlank()) {
            address.put("phone", phone.replaceAll("[^0-9]", ""));
        }
        return address;
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (REQUIRED.contains(field)) {
                throw AddressRefusedException.badRequest(field + " is required", field);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw AddressRefusedException.badRequest(field + " must be a string", field);
        }
        String text = value.asText().strip();
        if (text.isEmpty() && REQUIRED.contains(field)) {
            throw AddressRefusedException.badRequest(field + " must not be blank", field);
        }
        if (text.length() > max) {
            throw AddressRefusedException.badRequest(field + " is longer than " + max + " characters", field);
        }
        if (!PRINTABLE.matcher(text).matches()) {
            throw AddressRefusedException.badRequest(field + " contains a control or invisible character", field);
        }
        return text.isEmpty() ? null : text;
    }

    private static String state(JsonNode body) {
        String state = text(body, "state", 2 + 10);
        String upper = state.toUpperCase(Locale.ROOT);
        if (!STATE.matcher(upper).matches()) {
            throw AddressRefusedException.badRequest("state must be a 2-letter US state abbreviation such as TX", "state");
        }
        return upper;
    }

    private static String zip(JsonNode body) {
        String zip = text(body, "zip", 10 + 10);
        if (!ZIP.matcher(zip).matches()) {
            throw AddressRefusedException.badRequest("zip must be 5 digits or ZIP+4 (12345 or 12345-6789)", "zip");
        }
        return zip;
    }

    private static String phone(JsonNode body) {
        String phone = text(body, "phone", 30);
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[\\s().+-]", "");
        if (!digits.matches("1?\\d{10}")) {
            throw AddressRefusedException.badRequest("phone must be a 10-digit US number (spaces, dashes, dots, brackets allowed)", "phone");
        }
        return digits.length() == 11 ? digits.substring(1) : digits;
    }

    private static Boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw AddressRefusedException.badRequest(field + " must be true or false", field);
        }
        return value.booleanValue();
    }

    private static String abbreviate(String name) {
        String printable = name.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    @Override
    public String toString() {
        return "ShippingAddress[state and zip withheld]";
    }
}
