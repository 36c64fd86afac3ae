package com.example.honeybee.inbox;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import com.example.honeybee.support.PhiFreeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter store behind the shared dead-letter channel: parks failed work with a PHI-free
 * reason and puts it back in line on replay.
 */
public class DeadLetterStore {

    public static final String SOURCE_INBOX = "inbox";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final String COLUMNS = "id, source, ref_id, reason, error_class, error_code, created_at, replayed_at";

    private final Sql sql;
    private final InboxRepository inbox;
    private final Clock clock;
    private final Map<String, Predicate<String>> replays = new ConcurrentHashMap<>();

    public DeadLetterStore(Sql sql, InboxRepository inbox, Clock clock) {
        this.sql = sql;
        this.inbox = inbox;
        this.clock = clock;
        registerReplay(SOURCE_INBOX, inbox::requeue);
    }

    /** How a source puts its parked work back in line; answers false when the work was no longer parked. */
    public void registerReplay(String source, Predicate<String> requeue) {
        replays.put(source, requeue);
    }

    /** Parks the event whose processing failed after its retries (called by the dead-letter channel). */
    public long parkEvent(Exchange exchange) {
        String eventId = exchange.getMessage().getHeader(HoneybeeHeaders.EVENT_ID, String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = exchange.getProperty(FailedAttemptCounter.PROPERTY, 1, Integer.class);
        String reason = "failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + FailureReason.describe(failure);
        long id = park(SOURCE_INBOX, eventId, reason, failure, null);
        inbox.markDead(eventId, reason);
        LOG.warn("event parked as dead letter {}: event_id={} reason={}", id, LogSafe.escape(eventId), LogSafe.escape(reason));
        return id;
    }

    public long park(String source, String refId, String reason, Throwable failure, String errorCode) {
        return sql.inTransaction(connection -> {
            Sql.update(connection, "INSERT INTO dead_letter (source, ref_id, reason, error_class, error_code, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", source, refId, reason,
                    failure == null ? null : failure.getClass().getName(), errorCode, clock.instant());
            return Sql.query(connection, "SELECT MAX(id) FROM dead_letter WHERE source = ? AND ref_id = ?",
                    row -> row.getLong(1), source, refId).get(0);
        });
    }

    /** Replays a dead letter: the event goes back to the inbox and is processed again. */
    public DeadLetter replay(@Header(HoneybeeHeaders.DEAD_LETTER_ID) long id) {
        DeadLetter letter = find(id).orElseThrow(() -> new ReplayRefusedException("dead letter " + id + " does not exist", 404));
        if (letter.replayedAt() != null) {
            throw new ReplayRefusedException("dead letter " + id + " was already replayed at " + letter.replayedAt(), 409);
        }
        Predicate<String> requeue = replays.get(letter.source());
        if (requeue == null) {
            throw new ReplayRefusedException("dead letter " + id + " comes from " + letter.source() + ", which cannot be replayed", 409);
        }
        if (!requeue.test(letter.refId())) {
            throw new ReplayRefusedException(letter.source() + " " + letter.refId() + " of dead letter " + id + " is no longer parked", 409);
        }
        sql.update("UPDATE dead_letter SET replayed_at = ? WHERE id = ? AND replayed_at IS NULL", clock.instant(), id);
        LOG.info("dead letter {} replayed: source={} ref={}", id, letter.source(), LogSafe.escape(letter.refId()));
        return find(id).orElseThrow();
    }

    public Optional<DeadLetter> find(long id) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", DeadLetterStore::map, id);
    }

    public List<DeadLetter> open() {
        return sql.query("SELECT " + COLUMNS + " FROM dead_letter WHERE replayed_at IS NULL ORDER BY id", DeadLetterStore::map);
    }

    public List<DeadLetter> forRef(String source, String refId) {
        return sql.query("SELECT " + COLUMNS + " FROM dead_letter WHERE source = ? AND ref_id = ? ORDER BY id",
                DeadLetterStore::map, source, refId);
    }

    private static DeadLetter map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new DeadLetter(row.getLong("id"), row.getString("source"), row.getString("ref_id"), row.getString("reason"),
                row.getString("error_class"), row.getString("error_code"),
                Sql.timestamp(row, "created_at"), Sql.timestamp(row, "replayed_at"));
    }

    /** A replay that cannot be done, with the HTTP status an API would answer. */
    public static class ReplayRefusedException extends RuntimeException implements com.example.honeybee.support.Refusal {
        private final int status;

        public ReplayRefusedException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
