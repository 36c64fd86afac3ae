package com.example.honeybee.patients;

import com.example.honeybee.support.PhiFreeMessage;

/** No single partner patient could be chosen: a person must decide. The message carries ids and counts only. */
public class PatientReviewNeededException extends RuntimeException implements PhiFreeMessage {

    private final String honeybeePatientId;
    private final String reason;
    private final int candidates;

    public PatientReviewNeededException(String honeybeePatientId, String reason, int candidates) {
        super("patient " + honeybeePatientId + " needs review: " + reason, null, false, false);
        this.honeybeePatientId = honeybeePatientId;
        this.reason = reason;
        this.candidates = candidates;
    }

    public String honeybeePatientId() {
        return honeybeePatientId;
    }

    public String reason() {
        return reason;
    }

    public int candidates() {
        return candidates;
    }
}
