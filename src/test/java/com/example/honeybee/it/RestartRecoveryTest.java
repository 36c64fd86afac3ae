package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What was acknowledged survives the end of the process that acknowledged it. */
class RestartRecoveryTest {

    private static final List<String> FIXTURES =
            List.of("rx-received.json", "rx-updated.json", "shipment-updated.json", "order-exception.json");

    @TempDir
    Path dataDir;

    @Test
    void eventsAcknowledgedBeforeARestartAreProcessedAfterIt() {
        String dbUrl = "jdbc:h2:file:" + dataDir.resolve("honeybee") + ";WRITE_DELAY=0";
        List<String> eventIds = FIXTURES.stream().map(f -> WebhookIntakeTest.eventIdOf(payload(f))).toList();

        try (RunningBundle first = RunningBundle.start(dbUrl, Map.of("honeybee.inbox.dispatch-enabled", "false"))) {
            for (String fixture : FIXTURES) {
                assertThat(first.postSigned(payload(fixture)).statusCode()).isEqualTo(200);
            }
            assertThat(first.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'")).isEqualTo(4);
        }

        try (RunningBundle second = RunningBundle.start(dbUrl, Map.of())) {
            second.awaitStatus(eventIds, InboxStatus.PROCESSED);
            assertThat(second.sql().count("SELECT COUNT(*) FROM prescription")).isEqualTo(1);
            assertThat(second.sql().count("SELECT COUNT(*) FROM shipment")).isEqualTo(1);
            assertThat(second.sql().count("SELECT COUNT(*) FROM order_exception")).isEqualTo(1);
        }
    }

    @Test
    void anEventClaimedByAWorkerThatDiedIsTakenAgainWhenItsLeaseRunsOut() {
        String dbUrl = "jdbc:h2:file:" + dataDir.resolve("lease") + ";WRITE_DELAY=0";
        byte[] body = payload("rx-received.json");
        String eventId = WebhookIntakeTest.eventIdOf(body);
        try (RunningBundle first = RunningBundle.start(dbUrl, Map.of("honeybee.inbox.dispatch-enabled", "false"))) {
            assertThat(first.postSigned(body).statusCode()).isEqualTo(200);
            // as a worker that claimed the event and died would leave it: held for a little longer
            first.sql().update("UPDATE inbox SET locked_by = 'dead-worker', locked_until = ?, attempts = 1 WHERE event_id = ?",
                    Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC), eventId);
        }

        try (RunningBundle second = RunningBundle.start(dbUrl, Map.of())) {
            second.awaitStatus(eventId, InboxStatus.PROCESSED);
            assertThat(second.sql().count("SELECT attempts FROM inbox WHERE event_id = ?", eventId)).isEqualTo(2);
        }
    }
}
