package com.example.honeybee.address;

import java.util.List;

import com.example.honeybee.support.Refusal;

/**
 * An address correction refused, by our checks (400) or by Honeybee (its 4xx turned into the ops API's): the
 * HTTP status the ops API answers, a message built from field names, codes and ids only, Honeybee's numeric code
 * when it gave one, and the refused fields in the ops API's names (first_name, state, zip...).
 */
public class AddressRefusedException extends RuntimeException implements Refusal {

    private final int status;
    private final String errorCode;
    private final List<String> fields;

    public AddressRefusedException(int status, String message, String errorCode, List<String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = List.copyOf(fields);
    }

    static AddressRefusedException badRequest(String message, String field) {
        return new AddressRefusedException(400, message, null, List.of(field));
    }

    @Override
    public int status() {
        return status;
    }

    /** Honeybee's numeric code (42226, 42228...), or null for our own checks and answers without one. */
    public String errorCode() {
        return errorCode;
    }

    /** The refused fields, in the ops API's names. */
    public List<String> fields() {
        return fields;
    }
}
