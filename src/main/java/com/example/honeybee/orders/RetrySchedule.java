package com.example.honeybee.orders;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter for outbox retries; a server's Retry-After wins when it is given. */
public record RetrySchedule(Duration base, Duration max, int maxAttempts) {

    /** The wait before attempt {@code attempts + 1}: base * 2^(attempts-1), capped, then ±25% jitter. */
    public Duration after(int attempts, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long exponent = Math.min(Math.max(attempts - 1, 0), 20);
        long millis = Math.min(max.toMillis(), base.toMillis() * (1L << exponent));
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, (long) (millis * jitter)));
    }
}
