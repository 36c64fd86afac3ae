package com.example.honeybee.support;

/** Names of the Camel message headers the routes and beans share. */
public final class HoneybeeHeaders {

    public static final String EVENT_ID = "HoneybeeEventId";
    public static final String EVENT_TYPE = "HoneybeeEventType";
    public static final String PATIENT_ID = "HoneybeePatientId";
    public static final String PRESCRIPTION_ID = "HoneybeePrescriptionId";
    public static final String INBOX_OUTCOME = "HoneybeeInboxOutcome";
    public static final String DEAD_LETTER_ID = "HoneybeeDeadLetterId";
    public static final String SIGNATURE = "X-Honeybee-Signature";
    public static final String SHARED_SECRET = "X-Honeybee-Secret";

    private HoneybeeHeaders() {
    }
}
