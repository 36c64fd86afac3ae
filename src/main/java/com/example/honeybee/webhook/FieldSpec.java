package com.example.honeybee.webhook;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One declared webhook field: its JSON name, its kind, whether it is required, its limits (length in
 * UTF-16 code units, numeric range and decimal places), the fields inside it (objects, arrays of
 * objects), and the database columns that store it. {@link WebhookFields} declares every field this
 * way; {@link WebhookEventValidator} refuses a value outside these limits with a 400 naming the field,
 * and {@code SchemaAgreement} refuses to start when a column cannot hold every value the limits let
 * in. So a value is either refused at intake or stored: the two sides read the same declaration.
 *
 * @param name     the JSON member name
 * @param kind     what values are allowed (see {@link Kind})
 * @param required whether the member must be present and not null
 * @param maxLength longest text, in UTF-16 code units (what Java, H2 and a VARCHAR length count; an emoji is 2);
 *                 for an ARRAY, the most elements
 * @param min      lowest number allowed (INTEGER, DECIMAL), else null
 * @param max      highest number allowed (INTEGER, DECIMAL), else null
 * @param scale    most decimal places (DECIMAL), trailing zeros not counted
 * @param children the members of an OBJECT, or of each element of an ARRAY (whose elements are objects)
 * @param columns  {@code table.column} where the value is stored; empty when it is not stored
 */
public record FieldSpec(String name, Kind kind, boolean required, int maxLength, BigDecimal min, BigDecimal max, int scale,
                        List<FieldSpec> children, List<String> columns) {

    /** Earliest and latest instants a date-time may name: four-digit years, which both databases store. */
    static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    static final int MAX_OFFSET_SECONDS = 14 * 3600;

    /** The kinds of value a field may hold. */
    public enum Kind {
        /** An identifier or code (event_id, order_number, event_code): a non-blank string on one line, no control or invisible characters. */
        ID,
        /** Free text (drug_name, sig_text): a string of any characters except U+0000 and unpaired surrogates, which no column stores faithfully. */
        TEXT,
        /** A JSON integer (no fraction, no exponent) within [min, max]. */
        INTEGER,
        /** A JSON number within [min, max] with at most {@code scale} decimal places. */
        DECIMAL,
        /** {@code true} or {@code false}; the strings "true" and "false" (any case) are read as those values. */
        BOOLEAN,
        /**
         * An ISO-8601 date-time with an offset (2024-03-14T13:17:54.906-07:00), years 1900 to 9999 in UTC, the offset
         * within ±14:00 (the offsets in use; PostgreSQL refuses beyond ±15:59, Java allows ±18:00).
         */
        DATE_TIME,
        /** A DEA schedule: the integer 0 to 5, or the same digit as a string (Honeybee sends both "0" and 4). */
        DRUG_SCHEDULE,
        /** A JSON object whose members are the children. */
        OBJECT,
        /** A JSON array of at most {@code maxLength} elements, objects with the children as members. */
        ARRAY
    }

    public FieldSpec {
        children = List.copyOf(children);
        columns = List.copyOf(columns);
    }

    static FieldSpec id(String name, int maxLength, String... columns) {
        return new FieldSpec(name, Kind.ID, false, maxLength, null, null, 0, List.of(), List.of(columns));
    }

    static FieldSpec text(String name, int maxLength, String... columns) {
        return new FieldSpec(name, Kind.TEXT, false, maxLength, null, null, 0, List.of(), List.of(columns));
    }

    static FieldSpec integer(String name, long min, long max, String... columns) {
        return new FieldSpec(name, Kind.INTEGER, false, 0, BigDecimal.valueOf(min), BigDecimal.valueOf(max), 0, List.of(), List.of(columns));
    }

    static FieldSpec decimal(String name, String min, String max, int scale, String... columns) {
        return new FieldSpec(name, Kind.DECIMAL, false, 0, new BigDecimal(min), new BigDecimal(max), scale, List.of(), List.of(columns));
    }

    static FieldSpec bool(String name, String... columns) {
        return new FieldSpec(name, Kind.BOOLEAN, false, 0, null, null, 0, List.of(), List.of(columns));
    }

    static FieldSpec dateTime(String name, String... columns) {
        return new FieldSpec(name, Kind.DATE_TIME, false, 0, null, null, 0, List.of(), List.of(columns));
    }

    static FieldSpec drugSchedule(String name, String... columns) {
        return new FieldSpec(name, Kind.DRUG_SCHEDULE, false, 1, BigDecimal.ZERO, BigDecimal.valueOf(5), 0, List.of(), List.of(columns));
    }

    static FieldSpec object(String name, FieldSpec... children) {
        return new FieldSpec(name, Kind.OBJECT, false, 0, null, null, 0, List.of(children), List.of());
    }

    /** An array of at most {@code maxElements} objects (held in maxLength): one event's processing cost stays bounded. */
    static FieldSpec array(String name, int maxElements, FieldSpec... elementMembers) {
        return new FieldSpec(name, Kind.ARRAY, false, maxElements, null, null, 0, List.of(elementMembers), List.of());
    }

    FieldSpec mandatory() {
        return new FieldSpec(name, kind, true, maxLength, min, max, scale, children, columns);
    }

    /**
     * Checks one present, non-null value against this field's kind and limits (not its children).
     * Answers the problem, phrased to follow the field's path ("must be an integer"), or empty when
     * the value is allowed. Never quotes the value: payload values may be PHI.
     */
    public Optional<String> problemWith(JsonNode value) {
        return Optional.ofNullable(switch (kind) {
            case ID -> !value.isTextual() ? "must be a string" : idProblem(value.textValue());
            case TEXT -> !value.isTextual() ? "must be a string" : textProblem(value.textValue());
            case INTEGER -> integerProblem(value);
            case DECIMAL -> decimalProblem(value);
            case BOOLEAN -> booleanOf(value).isPresent() ? null : "must be true or false";
            case DATE_TIME -> dateTimeProblem(value);
            case DRUG_SCHEDULE -> drugScheduleProblem(value);
            case OBJECT -> value.isObject() ? null : "must be an object";
            case ARRAY -> !value.isArray() ? "must be an array"
                    : value.size() > maxLength ? "has " + value.size() + " elements; the limit is " + maxLength : null;
        });
    }

    /** The boolean a BOOLEAN field's value stands for: JSON true/false, or the strings "true"/"false" in any case. */
    public static Optional<Boolean> booleanOf(Object value) {
        if (value instanceof JsonNode node) {
            value = node.isBoolean() ? (Object) node.booleanValue() : node.isTextual() ? node.textValue() : null;
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(s.toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    private String idProblem(String text) {
        if (text.isBlank()) {
            return "must be a non-empty string";
        }
        String length = lengthProblem(text);
        if (length != null) {
            return length;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isUnpairedSurrogate(text, i)) {
                return unpaired(c, i);
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return String.format("contains the control or invisible character U+%04X at position %d; identifiers must be one printable line", (int) c, i);
            }
        }
        return null;
    }

    private String textProblem(String text) {
        String length = lengthProblem(text);
        if (length != null) {
            return length;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == 0) {
                return "contains U+0000 at position " + i + ", which cannot be stored";
            }
            if (isUnpairedSurrogate(text, i)) {
                return unpaired(text.charAt(i), i);
            }
        }
        return null;
    }

    private String lengthProblem(String text) {
        return text.length() > maxLength ? "is longer than " + maxLength + " characters" : null;
    }

    private String integerProblem(JsonNode value) {
        if (!value.isIntegralNumber()) {
            return "must be an integer";
        }
        return rangeProblem(new BigDecimal(value.bigIntegerValue()));
    }

    private String decimalProblem(JsonNode value) {
        if (!value.isNumber()) {
            return "must be a number";
        }
        BigDecimal number = value.decimalValue();
        String range = rangeProblem(number);
        if (range != null) {
            return range;
        }
        return number.stripTrailingZeros().scale() > scale ? "has more than " + scale + " decimal places" : null;
    }

    private String rangeProblem(BigDecimal number) {
        return number.compareTo(min) < 0 || number.compareTo(max) > 0
                ? "must be between " + min.toPlainString() + " and " + max.toPlainString() : null;
    }

    private static String dateTimeProblem(JsonNode value) {
        if (!value.isTextual()) {
            return "must be an ISO-8601 date-time string";
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value.textValue());
            if (Math.abs(time.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
                return "has an offset beyond ±14:00";
            }
            Instant instant = time.toInstant();
            return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? "must be a date-time between the years 1900 and 9999" : null;
        } catch (DateTimeParseException e) {
            return "is not an ISO-8601 date-time with offset";
        }
    }

    private String drugScheduleProblem(JsonNode value) {
        if (value.isIntegralNumber()) {
            return rangeProblem(new BigDecimal(value.bigIntegerValue())) == null ? null : "must be a DEA schedule 0 to 5";
        }
        if (value.isTextual() && value.textValue().length() == 1 && value.textValue().charAt(0) >= '0' && value.textValue().charAt(0) <= '5') {
            return null;
        }
        return "must be a DEA schedule 0 to 5 (a number, or the same digit as a string)";
    }

    private static boolean isUnpairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    private static String unpaired(char c, int i) {
        return String.format("contains an unpaired surrogate U+%04X at position %d (not valid Unicode)", (int) c, i);
    }
}
