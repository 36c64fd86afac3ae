package com.example.honeybee.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.InboxEntry;
import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.webhook.WebhookEvent;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The claim takes the oldest pending event of each patient only, and skips an event backing off. */
class PerPatientClaimTest {

    private final HikariDataSource dataSource = HoneybeeDatabase.createDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 3);
    private final Sql sql = new Sql(dataSource);
    private final InboxRepository inbox;

    PerPatientClaimTest() {
        HoneybeeDatabase.migrate(dataSource);
        inbox = new InboxRepository(sql, Clock.systemUTC(), "test", Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private void store(String eventId, String patientId) {
        inbox.storeOne(new WebhookEvent(eventId, "RX_UPDATED", patientId), ("{\"event_id\":\"" + eventId + "\"}").getBytes());
    }

    private List<String> claim(int limit) {
        return inbox.claimBatch(limit).stream().map(InboxEntry::eventId).toList();
    }

    @Test
    void oneEventPerPatientIsClaimedAtATimeInTheirOrder() {
        store("a1", "A");
        store("a2", "A");
        store("b1", "B");
        store("a3", "A");
        store("n1", null);
        store("n2", null);

        assertThat(claim(10)).containsExactly("a1", "b1", "n1", "n2");
        // a2 waits while a1 is claimed (another thread or instance must not take it)
        assertThat(claim(10)).isEmpty();
        inbox.markProcessed("a1");
        assertThat(claim(10)).containsExactly("a2");
        inbox.markProcessed("a2");
        inbox.markDead("b1", "test");
        assertThat(claim(10)).containsExactly("a3");
    }

    @Test
    void anEventBackingOffHoldsItsPatientOnlyUntilItIsDue() {
        store("a1", "A");
        store("a2", "A");
        store("b1", "B");
        assertThat(claim(10)).containsExactly("a1", "b1");
        inbox.retryAt("a1", Instant.now().plusSeconds(3600), "attempt 1 failed: test");
        inbox.markProcessed("b1");
        assertThat(claim(10)).as("a1 backs off, a2 waits behind it").isEmpty();
        inbox.retryAt("a1", Instant.now().minusSeconds(1), "attempt 1 failed: test");
        assertThat(claim(10)).containsExactly("a1");
        assertThat(inbox.attempts("a1")).isEqualTo(2);
    }
}
