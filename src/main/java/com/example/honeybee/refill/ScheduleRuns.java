package com.example.honeybee.refill;

import java.time.Clock;
import java.util.Date;

import com.example.honeybee.db.Sql;
import org.apache.camel.Header;

/** Records each firing of a Quartz schedule with the instance that ran it. */
public class ScheduleRuns {

    private final Sql sql;
    private final Clock clock;
    private final String instance;

    public ScheduleRuns(Sql sql, Clock clock, String instance) {
        this.sql = sql;
        this.clock = clock;
        this.instance = instance;
    }

    /** Route step at the start of a Quartz route; camel-quartz sets scheduledFireTime. */
    public void record(String schedule, @Header("scheduledFireTime") Date scheduledFireTime) {
        sql.update("INSERT INTO schedule_run (schedule, scheduled_fire_time, fired_at, instance) VALUES (?, ?, ?, ?)", schedule,
                (scheduledFireTime == null ? clock.instant() : scheduledFireTime.toInstant()), clock.instant(), instance);
    }
}
