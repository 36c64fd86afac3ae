package com.example.honeybee.dispatch;

import com.example.honeybee.db.Sql;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The unit of work of the inbox dispatcher: one transaction per claimed batch, with a savepoint per event.
 * An event's effects and its "processed" mark are written after its savepoint; when the event fails, the
 * dead-letter channel's {@code onPrepareFailure} (this object, as a {@link Processor}) rolls back to that
 * savepoint, the failure is recorded (backoff or dead letter) in the same transaction, and the rest of the
 * batch goes on; the batch commits once. So a batch of n events costs one commit instead of n.
 * <p>
 * {@code perEvent} ({@code honeybee.inbox.batch-transaction=false}) restores the earlier path: each event
 * in a transaction of its own, committed after it (kept to measure the difference in the benchmark).
 */
public class EventBatch implements Processor {

    private final Sql sql;
    private final boolean perEvent;

    public EventBatch(Sql sql, boolean perEvent) {
        this.sql = sql;
        this.perEvent = perEvent;
    }

    /** Opens the batch's transaction (before the first event). */
    public void begin() {
        if (!perEvent) {
            sql.begin();
        }
    }

    /** Before an event: its savepoint (or, per event, its own transaction). */
    public void beforeEvent() {
        if (perEvent) {
            sql.begin();
        } else {
            sql.savepoint();
        }
    }

    /** After an event processed: keeps its effects in the batch (or, per event, commits them). */
    public void afterEvent() {
        if (perEvent) {
            sql.commit();
        } else {
            sql.releaseSavepoint();
        }
    }

    /** Commits the batch: every processed event, every backoff and every dead letter of it at once. */
    public void commit() {
        sql.commit();
    }

    /** A failed event: undoes its effects only (or, per event, its whole transaction). */
    @Override
    public void process(Exchange exchange) {
        if (perEvent) {
            sql.rollback();
        } else {
            sql.rollbackToSavepoint();
        }
    }
}
