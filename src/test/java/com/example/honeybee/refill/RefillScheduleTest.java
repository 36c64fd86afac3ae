package com.example.honeybee.refill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

/** The due rule on its own: interval 30 days, lead 5, so due 25 days after the last order. */
class RefillScheduleTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-24T12:00:00Z");
    private final RefillSchedule schedule = new RefillSchedule(null, null, Clock.systemUTC(), 30, 5, RefillSchedule.Policy.ORDER);

    private static RefillCandidate candidate(Integer refills, Boolean active, OffsetDateTime expires, String lastStatus,
                                             OffsetDateTime lastOrder, Boolean enrolled) {
        return new RefillCandidate(1, "p", 2, refills, active, expires, lastStatus, lastOrder, enrolled);
    }

    private static RefillCandidate due() {
        return candidate(3, true, NOW.plusMonths(6), "Delivered", NOW.minusDays(25), true);
    }

    @Test
    void dueWhenEveryConditionHolds() {
        assertThat(schedule.isDue(due(), NOW)).isTrue();
        assertThat(schedule.isDue(candidate(3, true, null, "Shipped", NOW.minusDays(40), true), NOW)).isTrue();
    }

    @Test
    void notDueBeforeIntervalMinusLead() {
        assertThat(schedule.isDue(candidate(3, true, NOW.plusMonths(6), "Delivered", NOW.minusDays(24), true), NOW)).isFalse();
    }

    @Test
    void notDueWhenExpiredInactiveOutOfRefillsOrNotEnrolled() {
        assertThat(schedule.isDue(candidate(3, true, NOW.minusDays(1), "Delivered", NOW.minusDays(40), true), NOW)).as("expired").isFalse();
        assertThat(schedule.isDue(candidate(3, false, NOW.plusMonths(6), "Delivered", NOW.minusDays(40), true), NOW)).as("inactive").isFalse();
        assertThat(schedule.isDue(candidate(0, true, NOW.plusMonths(6), "Delivered", NOW.minusDays(40), true), NOW)).as("no refills").isFalse();
        assertThat(schedule.isDue(candidate(null, true, NOW.plusMonths(6), "Delivered", NOW.minusDays(40), true), NOW)).as("refills unknown").isFalse();
        assertThat(schedule.isDue(candidate(3, true, NOW.plusMonths(6), "Delivered", NOW.minusDays(40), false), NOW)).as("not enrolled").isFalse();
        assertThat(schedule.isDue(candidate(3, true, NOW.plusMonths(6), "Delivered", NOW.minusDays(40), null), NOW)).as("unmatched patient").isFalse();
    }

    @Test
    void notDueWhileTheLastFillHasNotShipped() {
        for (String status : new String[] {"Processing", "Filling", "On Hold", "Canceled", null}) {
            assertThat(schedule.isDue(candidate(3, true, NOW.plusMonths(6), status, NOW.minusDays(40), true), NOW)).as("%s", status).isFalse();
        }
    }
}
