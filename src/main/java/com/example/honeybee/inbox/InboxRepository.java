package com.example.honeybee.inbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.webhook.WebhookEvent;
import org.apache.camel.Exchange;

/**
 * The webhook inbox: the durable write that comes before every acknowledgement, and the claim,
 * completion and parking of stored events. SQL for the {@code inbox} and {@code inbox_conflict}
 * tables lives here only.
 */
public class InboxRepository {

    /**
     * A row is claimable when pending, not leased, due (its backoff over), and the oldest pending event of
     * its patient: events of one patient are therefore never claimed together, nor while an earlier one is
     * in work or backing off, whichever thread or instance claims (events without a patient_id are unordered).
     */
    private static final String CLAIMABLE = "i.status = 'PENDING' AND (i.locked_until IS NULL OR i.locked_until < ?)"
            + " AND (i.next_attempt_at IS NULL OR i.next_attempt_at <= ?)"
            + " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.patient_id = i.patient_id AND e.status = 'PENDING' AND e.seq < i.seq)";

    private final Sql sql;
    private final Clock clock;
    private final String workerId;
    private final Duration lease;
    private InboxGroupCommit groupCommit;
    private Runnable wakeup = () -> { };

    public InboxRepository(Sql sql, Clock clock, String workerId, Duration lease) {
        this.sql = sql;
        this.clock = clock;
        this.workerId = workerId;
        this.lease = lease;
    }

    /** Batches concurrent inserts into one commit (honeybee.inbox.group-commit). */
    public void setGroupCommit(InboxGroupCommit groupCommit) {
        this.groupCommit = groupCommit;
    }

    /** Called once an event becomes claimable by a change of this class (a replay): wakes the dispatcher. */
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Stores the event from intake and sets the outcome header; the body is the raw bytes as received. */
    public InboxOutcome store(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        WebhookEvent event = new WebhookEvent(message.getHeader(HoneybeeHeaders.EVENT_ID, String.class),
                message.getHeader(HoneybeeHeaders.EVENT_TYPE, String.class),
                message.getHeader(HoneybeeHeaders.PATIENT_ID, String.class));
        byte[] body = message.getBody(byte[].class);
        InboxOutcome outcome = groupCommit != null ? groupCommit.store(event, body) : storeOne(event, body);
        if (outcome == InboxOutcome.ACCEPTED) {
            // committed: the dispatcher can claim it now
            wakeup.run();
        }
        exchange.getMessage().setHeader(HoneybeeHeaders.INBOX_OUTCOME, outcome);
        return outcome;
    }

    /** Stores one event in a transaction of its own: the path for repeats, conflicts and races. */
    public InboxOutcome storeOne(WebhookEvent event, byte[] body) {
        String digest = sha256(body);
        Instant now = clock.instant();
        boolean inserted = sql.insertIfAbsent(
                "INSERT INTO inbox (event_id, event_type, patient_id, body, body_sha256, status, received_at)"
                        + " VALUES (?, ?, ?, ?, ?, 'PENDING', ?)",
                event.eventId(), event.eventType(), event.patientId(), body, digest, now);
        if (inserted) {
            return InboxOutcome.ACCEPTED;
        }
        String storedDigest = sql.queryOne("SELECT body_sha256 FROM inbox WHERE event_id = ?",
                row -> row.getString(1), event.eventId()).orElse(digest);
        if (storedDigest.equals(digest)) {
            return InboxOutcome.DUPLICATE;
        }
        if (sql.insertIfAbsent("INSERT INTO inbox_conflict (event_id, body, body_sha256, received_at) VALUES (?, ?, ?, ?)",
                event.eventId(), body, digest, now)) {
            sql.update("UPDATE inbox SET conflict_count = conflict_count + 1 WHERE event_id = ?", event.eventId());
        }
        return InboxOutcome.CONFLICT;
    }

    /**
     * Claims up to {@code limit} pending events, oldest first, for this worker's lease. Several workers
     * (or instances) never get the same row: rows being claimed are skipped, and a claimed row is
     * held until its lease runs out, after which another worker (or this one after a crash) takes it.
     */
    public List<InboxEntry> claimBatch(int limit) {
        Instant now = clock.instant();
        // the rows come with the claim (one statement), their leases are written as one JDBC batch
        // the limit is a parameter: one statement text whatever the batch size, so the database parses it once
        return sql.claim("SELECT " + ENTRY_COLUMNS + " FROM inbox i WHERE " + CLAIMABLE + " ORDER BY i.seq FETCH FIRST ? ROWS ONLY",
                new Object[] {now, now, limit}, InboxRepository::claimedEntry, InboxEntry::eventId,
                "UPDATE inbox SET locked_by = ?, locked_until = ?, attempts = attempts + 1 WHERE event_id = ?",
                new Object[] {workerId, now.plus(lease)});
    }

    private static final String ENTRY_COLUMNS = "i.event_id, i.event_type, i.patient_id, i.body, i.attempts, i.received_at, i.next_attempt_at";

    /** A claimed entry from {@link #ENTRY_COLUMNS}: its attempts count this claim, which the lease update adds to the row. */
    private static InboxEntry claimedEntry(java.sql.ResultSet row) throws java.sql.SQLException {
        OffsetDateTime receivedAt = Sql.timestamp(row, "received_at");
        OffsetDateTime backedOffUntil = Sql.timestamp(row, "next_attempt_at");
        Instant received = receivedAt == null ? null : receivedAt.toInstant();
        // a retried event has waited in its backoff on purpose: it is due since the backoff ended, not since receipt
        Instant dueSince = backedOffUntil != null && (received == null || backedOffUntil.toInstant().isAfter(received))
                ? backedOffUntil.toInstant() : received;
        return new InboxEntry(row.getString(1), row.getString(2), row.getString(3), row.getBytes(4), row.getInt(5) + 1, received, dueSince);
    }

    public void markProcessed(String eventId) {
        finish(eventId, InboxStatus.PROCESSED, null);
    }

    /** Keeps an event of a type this bundle does not know, flagged for operators, without processing it. */
    public void markUnknownType(String eventId) {
        finish(eventId, InboxStatus.UNKNOWN_TYPE, "unknown event_type");
    }

    public void markDead(String eventId, String reason) {
        finish(eventId, InboxStatus.DEAD, reason);
    }

    /** Puts a parked event back in line, with its attempts counted afresh; answers false when it was not parked. */
    public boolean requeue(String eventId) {
        // due from now (next_attempt_at): a replayed event's wait counts from its replay, not from its first receipt
        boolean requeued = sql.update("UPDATE inbox SET status = 'PENDING', locked_by = NULL, locked_until = NULL, last_error = NULL,"
                + " attempts = 0, next_attempt_at = ? WHERE event_id = ? AND status IN ('DEAD', 'UNKNOWN_TYPE')", clock.instant(), eventId) == 1;
        if (requeued) {
            sql.afterCommit(wakeup);
        }
        return requeued;
    }

    /**
     * Backs off a claimed event whose attempt failed: it stays pending, leaves its lease, and is not claimed
     * again before {@code nextAttemptAt} (nor is any later event of its patient).
     *
     * @param reason PHI-free, at most 1000 characters
     */
    public void retryAt(String eventId, Instant nextAttemptAt, String reason) {
        sql.update("UPDATE inbox SET next_attempt_at = ?, last_error = ?, locked_until = NULL WHERE event_id = ? AND status = 'PENDING'",
                nextAttemptAt, reason, eventId);
    }

    /** The attempts counted for the event (each claim counts one), 0 when it does not exist. */
    public int attempts(String eventId) {
        return sql.queryOne("SELECT attempts FROM inbox WHERE event_id = ?", row -> row.getInt(1), eventId).orElse(0);
    }

    /** Drops the bodies of events processed more than {@code retentionDays} ago; answers how many. */
    public int purgeBodies(int retentionDays) {
        return sql.update("UPDATE inbox SET body = NULL WHERE status = 'PROCESSED' AND body IS NOT NULL AND processed_at < ?",
                clock.instant().minus(java.time.Duration.ofDays(retentionDays)));
    }

    public Optional<InboxStatus> status(String eventId) {
        return sql.queryOne("SELECT status FROM inbox WHERE event_id = ?",
                row -> InboxStatus.valueOf(row.getString(1)), eventId);
    }

    public long countByStatus(InboxStatus status) {
        return sql.count("SELECT COUNT(*) FROM inbox WHERE status = ?", status.name());
    }

    public long countConflicts(String eventId) {
        return sql.count("SELECT COUNT(*) FROM inbox_conflict WHERE event_id = ?", eventId);
    }

    private void finish(String eventId, InboxStatus status, String reason) {
        // only a row still pending changes: a row parked by the dead-letter channel stays parked
        // locked_by stays: it tells operators which instance finished the event
        sql.update("UPDATE inbox SET status = ?, last_error = ?, processed_at = ?, locked_until = NULL"
                + " WHERE event_id = ? AND status = 'PENDING'", status.name(), reason, clock.instant(), eventId);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
