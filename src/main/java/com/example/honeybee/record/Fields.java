package com.example.honeybee.record;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.example.honeybee.support.EventDataException;
import com.example.honeybee.webhook.FieldSpec;

/** Typed reads from an event's JSON objects (as Maps); errors name the field, never its value. */
final class Fields {

    private Fields() {
    }

    static String text(Map<String, Object> node, String field) {
        Object value = node.get(field);
        return value == null ? null : value.toString();
    }

    static String requiredText(Map<String, Object> node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new EventDataException(field + " is missing");
        }
        return value;
    }

    static Long longValue(Map<String, Object> node, String field) {
        Object value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new EventDataException(field + " is not a number");
    }

    static Integer intValue(Map<String, Object> node, String field) {
        Long value = longValue(node, field);
        return value == null ? null : Math.toIntExact(value);
    }

    static BigDecimal decimal(Map<String, Object> node, String field) {
        Object value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        throw new EventDataException(field + " is not a number");
    }

    /** true/false, or the strings "true"/"false" in any case (the catalogue's BOOLEAN rule); null otherwise. */
    static Boolean bool(Map<String, Object> node, String field) {
        return FieldSpec.booleanOf(node.get(field)).orElse(null);
    }

    static OffsetDateTime time(Map<String, Object> node, String field) {
        String value = text(node, field);
        return value == null ? null : OffsetDateTime.parse(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> node, String field) {
        Object value = node.get(field);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> node, String field) {
        Object value = node.get(field);
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** A prescription is identified by {@code prescription_id}, or by {@code id} where only that is sent. */
    static Long prescriptionId(Map<String, Object> request) {
        Long id = longValue(request, "prescription_id");
        return id != null ? id : longValue(request, "id");
    }
}
