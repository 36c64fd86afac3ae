package com.example.honeybee.api;

import java.time.Duration;
import java.util.List;

import com.example.honeybee.support.PhiFreeMessage;

/**
 * A Partner API call that did not succeed, classified once: {@link Kind#RETRYABLE} (429, 503, no
 * connection: nothing happened, try later), {@link Kind#OUTCOME_UNKNOWN} (timeout, reset, 500/502/504:
 * the call may have taken effect; also 409, which Honeybee documents as "conflicting with another
 * recent request", to be treated as already in flight) and {@link Kind#REJECTED} (400/404/422 and other
 * 4xx: retrying cannot help). Messages carry the status, Honeybee's numeric code, the names of the
 * fields it refused and X-Request-Id, never Honeybee's error text, which may quote patient data.
 */
public class PartnerApiException extends RuntimeException implements PhiFreeMessage {

    public enum Kind { RETRYABLE, OUTCOME_UNKNOWN, REJECTED }

    private final Kind kind;
    private final int status;
    private final String errorCode;
    private final String requestId;
    private final Duration retryAfter;
    private final List<String> fields;

    public PartnerApiException(Kind kind, int status, String errorCode, String requestId, Duration retryAfter, String message) {
        this(kind, status, errorCode, List.of(), requestId, retryAfter, message);
    }

    public PartnerApiException(Kind kind, int status, String errorCode, List<String> fields, String requestId, Duration retryAfter,
                               String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
        this.fields = List.copyOf(fields);
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** The error_detail[].field names of a 400/422 answer (names only, never values); empty otherwise. */
    public List<String> fields() {
        return fields;
    }

    public String requestId() {
        return requestId;
    }

    /** Honeybee's Retry-After, when it sent one. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
