package com.example.honeybee.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What may be kept of a Partner API error answer: Honeybee's numeric code and the names of the fields it
 * refused, never its messages (they can quote patient data). Reads both documented shapes (Honeybee's
 * "More of the Partner API": errors on 400/422, and the 409 conflict):
 * <pre>
 * {"errors": [{"code": 42230, "message": "...", "error_detail": [{"field": "address.not_found", "message": "..."}]}]}
 * {"error": {"error_code": 409, "message": "Your request is conflicting with another recent request..."}}
 * </pre>
 * and, tolerantly, {@code {"error": {"code": ...}}}. A body that is not JSON gives no code and no fields.
 *
 * @param code   the first error's numeric code as text, or null
 * @param fields the error_detail[].field names of every error, in order, without repeats; at most
 *               {@value #MAX_FIELDS}, each a plain dotted name (anything else is left out)
 */
public record ErrorBody(String code, List<String> fields) {

    static final int MAX_FIELDS = 10;
    /** A field name is a key path such as {@code address.state} or {@code items[0].ndc}: no spaces, no values. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,64}");
    /** Honeybee's codes are numbers; anything longer or stranger than a short token is not kept. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,20}");

    public static ErrorBody parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody(null, List.of());
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            return new ErrorBody(null, List.of());
        }
        if (root == null) {
            return new ErrorBody(null, List.of());
        }
        JsonNode errors = root.path("errors");
        List<JsonNode> each = new ArrayList<>();
        if (errors.isArray()) {
            errors.forEach(each::add);
        } else if (root.path("error").isObject()) {
            each.add(root.path("error"));
        }
        String code = null;
        List<String> fields = new ArrayList<>();
        for (JsonNode error : each) {
            if (code == null) {
                code = text(error.has("code") ? error.get("code") : error.get("error_code"));
            }
            for (JsonNode detail : error.path("error_detail")) {
                String field = detail.path("field").isTextual() ? detail.path("field").asText() : "";
                if (FIELD_NAME.matcher(field).matches() && !fields.contains(field) && fields.size() < MAX_FIELDS) {
                    fields.add(field);
                }
            }
        }
        return new ErrorBody(code, List.copyOf(fields));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        return CODE.matcher(node.asText()).matches() ? node.asText() : null;
    }
}
