package com.example.honeybee.inbox;

/** What storing a webhook event did: stored it, found it already stored, or found it stored with another body. */
public enum InboxOutcome {
    ACCEPTED("accepted"), DUPLICATE("duplicate"), CONFLICT("duplicate");

    private final String responseStatus;

    InboxOutcome(String responseStatus) {
        this.responseStatus = responseStatus;
    }

    /** The {@code status} the webhook response reports (a conflicting repeat is a duplicate to the sender). */
    public String responseStatus() {
        return responseStatus;
    }
}
