package com.example.honeybee.inbox;

import java.time.Instant;

/**
 * A stored event claimed for processing.
 *
 * @param attempts   the claims counted so far, this one included
 * @param receivedAt when intake stored it (the acknowledgement's time): the dispatcher's lag and the
 *                   processing timer count from here
 */
public record InboxEntry(String eventId, String eventType, String patientId, byte[] body, int attempts, Instant receivedAt) {
}
