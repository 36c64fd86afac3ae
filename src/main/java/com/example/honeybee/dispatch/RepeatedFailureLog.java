package com.example.honeybee.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.example.honeybee.support.FailureReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a consumer's repeated failure once per interval instead of once per poll: the first failure is
 * one WARN line (the failure's class and PHI-free description, no stack trace), repeats within the
 * interval are counted, the next line after the interval says how many there were, and the first
 * success after failures says the consumer recovered. A missing table or a revoked grant then writes a
 * handful of lines, not one stack trace per poll.
 */
public class RepeatedFailureLog {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatedFailureLog.class);

    private final String consumer;
    private final Duration interval;
    private final Clock clock;
    private Instant lastLogged;
    private long repeats;
    private long failures;

    /**
     * @param consumer what fails, as operators know it (a route id)
     * @param interval at most one line per this interval while the failure lasts
     */
    public RepeatedFailureLog(String consumer, Duration interval, Clock clock) {
        this.consumer = consumer;
        this.interval = interval;
        this.clock = clock;
    }

    /** Records a failure; logs it when no line was written within the interval. */
    public synchronized void failed(Throwable failure) {
        failures++;
        Instant now = clock.instant();
        if (lastLogged == null || !now.isBefore(lastLogged.plus(interval))) {
            String description = FailureReason.describe(failure);
            if (repeats == 0) {
                LOG.warn("{} failed: {} (repeats are logged at most once per {} s)", consumer, description, interval.toSeconds());
            } else {
                LOG.warn("{} still failing: {} ({} more failures since the last line)", consumer, description, repeats);
            }
            lastLogged = now;
            repeats = 0;
        } else {
            repeats++;
        }
    }

    /** Records a success; after failures, logs the recovery once. */
    public synchronized void succeeded() {
        if (failures > 0) {
            LOG.info("{} recovered after {} failed polls", consumer, failures);
            failures = 0;
            repeats = 0;
            lastLogged = null;
        }
    }

    /** Failures since the last success. */
    public synchronized long failures() {
        return failures;
    }
}
