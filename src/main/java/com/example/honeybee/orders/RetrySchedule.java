package com.example.honeybee.orders;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long and how often the outbox retries a fill. The budget is a time window from the fill's first
 * attempt ({@code honeybee.outbox.retry-window}, default 24 h), not a count of attempts: a burst of 429s
 * (each honoured with its Retry-After) spends attempts, not the budget. Between attempts: exponential
 * backoff with jitter, never shorter than the server's Retry-After.
 *
 * @param base   the first wait
 * @param max    the longest wait (before jitter)
 * @param window how long after its first attempt a failing fill is still retried
 */
public record RetrySchedule(Duration base, Duration max, Duration window) {

    /**
     * The wait before attempt {@code attempts + 1}: base * 2^(attempts-1), capped at max, then ±25% jitter;
     * at least {@code retryAfter} when the server sent one.
     */
    public Duration after(int attempts, Duration retryAfter) {
        long exponent = Math.min(Math.max(attempts - 1, 0), 20);
        long millis = Math.min(max.toMillis(), base.toMillis() * (1L << exponent));
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        Duration backoff = Duration.ofMillis(Math.max(1, (long) (millis * jitter)));
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    /** Whether a fill first attempted at {@code firstAttempt} may still be retried at {@code now}. */
    public boolean withinWindow(OffsetDateTime firstAttempt, OffsetDateTime now) {
        return firstAttempt == null || now.isBefore(firstAttempt.plus(window));
    }
}
