package com.example.honeybee.inbox;

import java.time.OffsetDateTime;

/** A parked piece of work: where it came from, what it refers to, and why it failed. */
public record DeadLetter(long id, String source, String refId, String reason, String errorClass, String errorCode,
                         OffsetDateTime createdAt, OffsetDateTime replayedAt) {
}
