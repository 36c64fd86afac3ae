package com.example.honeybee.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The limits every JSON body from outside is parsed under (webhooks and the ops API), as Jackson's
 * {@link StreamReadConstraints}, and the words a refusal uses for each. docs/CONTRACT.md states them:
 * no Honeybee event nests deeper than 8 levels nor carries a number of more than 20 digits.
 */
public final class JsonLimits {

    /** Objects and arrays inside one another, at most. */
    public static final int MAX_NESTING_DEPTH = 100;
    /** Characters of one number (digits, sign, fraction, exponent), at most. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Characters of one member name, at most. */
    public static final int MAX_NAME_LENGTH = 1000;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH).maxNameLength(MAX_NAME_LENGTH).build();

    private JsonLimits() {
    }

    /** A mapper whose parser enforces these limits (its other settings are Jackson's defaults). */
    public static JsonMapper mapper() {
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build()).build();
    }

    /**
     * What a parse failure says about the body, never quoting it (it may carry PHI): a limit it exceeds, named with its
     * value ("the body nests deeper than the limit of 100 levels"), or the kind of syntax error and its position.
     */
    public static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            String message = String.valueOf(e.getOriginalMessage());
            String what = message.contains("nesting depth") ? "nests objects and arrays deeper than the limit of " + MAX_NESTING_DEPTH + " levels"
                    : message.contains("Number value length") ? "has a number longer than the limit of " + MAX_NUMBER_LENGTH + " characters"
                    : message.contains("Name length") ? "has a member name longer than the limit of " + MAX_NAME_LENGTH + " characters"
                    : "exceeds a JSON parsing limit";
            return "the body " + what + " (the bundle's stated JSON limits, docs/CONTRACT.md)";
        }
        String message = String.valueOf(e.getOriginalMessage());
        String what = message.contains("Trailing token") ? "followed by more than one JSON value" : "not valid JSON";
        return "the body is " + what + (e.getLocation() == null ? ""
                : " (error at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
}
