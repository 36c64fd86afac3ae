package com.example.honeybee.webhook;

/** The identifying fields of a webhook event: all that intake needs to store and route it. */
public record WebhookEvent(String eventId, String eventType, String patientId) {

    public boolean isKnownType() {
        return EventType.of(eventType).isPresent();
    }
}
