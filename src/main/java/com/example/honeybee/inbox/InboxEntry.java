package com.example.honeybee.inbox;

import java.time.Instant;

/**
 * A stored event claimed for processing.
 *
 * @param attempts   the claims counted so far, this one included
 * @param receivedAt when intake stored it (the acknowledgement's time): the processing timer counts from here
 * @param dueSince   when it became claimable: {@code receivedAt}, or for an event that backed off after a failed
 *                   attempt the end of its backoff; the dispatcher's lag (admission control) counts from here
 */
public record InboxEntry(String eventId, String eventType, String patientId, byte[] body, int attempts, Instant receivedAt,
                         Instant dueSince) {
}
