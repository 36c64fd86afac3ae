package com.example.honeybee.inbox;

/** A stored event claimed for processing. */
public record InboxEntry(String eventId, String eventType, String patientId, byte[] body, int attempts) {
}
