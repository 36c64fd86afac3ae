package com.example.honeybee.webhook;

import java.nio.charset.StandardCharsets;

/**
 * Honeybee's published signature test vector, from its examples repository
 * (github.com/Honeybee-Health/event-signature-validation-examples, commit 671e8c1: ruby/validate.rb,
 * python/validate.py, go/validate.go, node/validate.js, java/Main.java). The URL and the body are the
 * exact strings those programs sign; the signatures are what they print. Copied here as constants, never
 * computed by the code under test.
 */
public final class PublishedSignatureVector {

    public static final String URL = "https://webhook.site/bafb9675-e60a-4db3-ab3c-377061a12ed5";
    public static final String BODY = "{\"event_id\":\"5d62dca6-1ce3-4807-afc6-8cfaa47577c5\",\"event_type\":\"RX_RECEIVED\","
            + "\"patient_id\":\"v3y4od\",\"medication_requests\":[{\"id\":82,\"prescription_id\":82,\"active\":true,"
            + "\"patient_id\":\"v3y4od\",\"prescriber_name\":\"Dr. Jane Foster\",\"receive_date\":\"2023-05-10T16:16:58.469+00:00\","
            + "\"drug_name\":\"ATORVASTATIN 10MG TABLET\",\"ndc\":\"5976201551\",\"sig_text\":\"Take 1 tablet daily\","
            + "\"written_qty\":90,\"days_supply\":null,\"refills_left\":2,\"expire_date\":\"2023-06-12T14:15:22Z\",\"drug_schedule\":4}]}";
    public static final String EVENT_ID = "5d62dca6-1ce3-4807-afc6-8cfaa47577c5";
    /** The length of BODY in UTF-8, counted by hand from the examples: a guard against an edited constant. */
    public static final int BODY_BYTES = 473;

    public static final String SECRET = "test_secret";
    public static final String SIGNATURE = "qQ0WU6unEWl3lfcxkBaWEW8z0xgK";
    public static final String SECOND_SECRET = "[CLIENT_SECRET_HERE]";
    public static final String SECOND_SIGNATURE = "WjK28W47ZwXsBAWTVJNjTIO2fRUK";
    /** Base64 of the same 20-byte digest without the newline byte: what this bundle wrongly computed before the fix in CHANGELOG.md. */
    public static final String PLAIN_BASE64_OF_DIGEST = "qQ0WU6unEWl3lfcxkBaWEW8z0xg=";

    private PublishedSignatureVector() {
    }

    public static byte[] body() {
        return BODY.getBytes(StandardCharsets.UTF_8);
    }
}
