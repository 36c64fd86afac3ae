package com.example.honeybee.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.example.honeybee.inbox.FailedAttemptCounter;
import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to an event whose processing failed (called by the dead-letter channel, after the
 * event's savepoint was rolled back): while it has attempts left it backs off in the database
 * ({@code next_attempt_at}: no thread sleeps, no other patient waits) and the dispatcher is woken when it
 * falls due; after {@code maxRedeliveries} retries it goes to the dead-letter store as before.
 * <p>
 * The wait before attempt n+1 is {@code delay × multiplier^(n-1)}, at most {@code maxDelay}
 * (honeybee.retry.delay-ms, backoff-multiplier, max-delay-ms). Attempts are the inbox row's count: each
 * claim counts one, so a crash during an attempt counts too.
 */
public class InboxRetries {

    /** Exchange property: true when the failed event was given another attempt, false when it is to be parked. */
    public static final String RETRY_LATER = "HoneybeeRetryLater";
    private static final Logger LOG = LoggerFactory.getLogger(InboxRetries.class);

    private final InboxRepository inbox;
    private final Wakeup wakeup;
    private final Clock clock;
    private final int maxRedeliveries;
    private final Duration delay;
    private final double multiplier;
    private final Duration maxDelay;
    private final com.example.honeybee.db.Sql sql;

    public InboxRetries(com.example.honeybee.db.Sql sql, InboxRepository inbox, Wakeup wakeup, Clock clock, int maxRedeliveries,
                        Duration delay, double multiplier, Duration maxDelay) {
        this.sql = sql;
        this.inbox = inbox;
        this.wakeup = wakeup;
        this.clock = clock;
        this.maxRedeliveries = maxRedeliveries;
        this.delay = delay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
    }

    /** Backs the failed event off, or marks it for parking (property {@value #RETRY_LATER}). */
    public void failed(Exchange exchange) {
        String eventId = exchange.getMessage().getHeader(HoneybeeHeaders.EVENT_ID, String.class);
        int attempts = Math.max(1, inbox.attempts(eventId));
        exchange.setProperty(FailedAttemptCounter.PROPERTY, attempts);
        if (attempts > maxRedeliveries) {
            exchange.setProperty(RETRY_LATER, false);
            return;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Instant next = clock.instant().plus(wait(attempts));
        String reason = "attempt " + attempts + " failed: " + FailureReason.describe(failure);
        inbox.retryAt(eventId, next, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        sql.afterCommit(() -> wakeup.wakeAt(next));
        exchange.setProperty(RETRY_LATER, true);
        LOG.warn("event attempt {} failed, next attempt at {}: event_id={} reason={}", attempts, next, LogSafe.escape(eventId),
                LogSafe.escape(FailureReason.describe(failure)));
    }

    /** The wait after the n-th failed attempt. */
    Duration wait(int attempts) {
        double millis = delay.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        return Duration.ofMillis((long) Math.min(maxDelay.toMillis(), millis));
    }
}
