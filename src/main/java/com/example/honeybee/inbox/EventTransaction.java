package com.example.honeybee.inbox;

import com.example.honeybee.db.Sql;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The unit of work around one event's processing: begun after the event is read, committed after it
 * is marked processed, rolled back by the dead-letter channel before each redelivery (which then
 * begins a fresh one) and before the event is parked.
 */
public class EventTransaction implements Processor {

    public enum Step { RESTART, ROLLBACK }

    private final Sql sql;
    private final Step step;

    public EventTransaction(Sql sql, Step step) {
        this.sql = sql;
        this.step = step;
    }

    @Override
    public void process(Exchange exchange) {
        sql.rollback();
        if (step == Step.RESTART) {
            sql.begin();
        }
    }

    public void begin() {
        sql.begin();
    }

    public void commit() {
        sql.commit();
    }
}
