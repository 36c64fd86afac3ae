package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.DeadLetter;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.support.HoneybeeHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events that fail every attempt back off in the database: they delay no other patient's events, are tried
 * again later with growing waits, and are parked after their retries, replayable as before.
 */
class PoisonEventTest {

    /** honeybee.retry.* of this test: waits of 400, 800 and 1600 ms between the four attempts. */
    private static final long DELAY_MS = 400;

    private RunningBundle bundle;

    @BeforeEach
    void start() {
        bundle = RunningBundle.start(Map.of("honeybee.retry.max-redeliveries", "3", "honeybee.retry.delay-ms", String.valueOf(DELAY_MS),
                "honeybee.retry.backoff-multiplier", "2", "honeybee.inbox.dispatcher-threads", "2"));
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    static byte[] event(String fixture, String eventId, String patientId) {
        String json = new String(payload(fixture, eventId), StandardCharsets.UTF_8);
        return json.replace("\"patient_id\": \"ay87nt\"", "\"patient_id\": \"" + patientId + "\"").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void poisonEventsDelayNoOtherPatientAndAreRetriedLaterThenParked() {
        // the exception table is unavailable: every ORDER_EXCEPTION fails, every time
        bundle.sql().update("ALTER TABLE order_exception RENAME TO order_exception_away");
        // every next_attempt_at that poison-1 is given, sampled from before its first delivery
        Set<OffsetDateTime> nextAttempts = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
        var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> bundle.sql().queryOne(
                "SELECT next_attempt_at FROM inbox WHERE event_id = 'poison-1' AND status = 'PENDING' AND next_attempt_at IS NOT NULL",
                row -> Sql.timestamp(row, "next_attempt_at")).ifPresent(nextAttempts::add), 0, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
        List<String> poison = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String eventId = "poison-" + i;
            poison.add(eventId);
            assertThat(bundle.postSigned(event("order-exception.json", eventId, "poison-patient-" + i)).statusCode()).isEqualTo(200);
        }
        // a later event of a poison patient waits for that patient's failing event (per-patient order)
        assertThat(bundle.postSigned(event("rx-updated.json", "after-poison-1", "poison-patient-1")).statusCode()).isEqualTo(200);

        long posted = System.nanoTime();
        assertThat(bundle.postSigned(event("rx-received.json", "valid-event", "valid-patient")).statusCode()).isEqualTo(200);
        // processed promptly: well before the first poison event's second attempt could even be due
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> status("valid-event").equals(InboxStatus.PROCESSED.name()));
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofSeconds(3));
        assertThat(status("after-poison-1")).isEqualTo(InboxStatus.PENDING.name());

        // each poison event: attempts counted, next_attempt_at set after each failed attempt, waits growing
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> poison.stream().allMatch(id -> status(id).equals(InboxStatus.DEAD.name())));
        sampler.shutdownNow();
        List<OffsetDateTime> seen;
        synchronized (nextAttempts) {
            seen = new ArrayList<>(nextAttempts);
        }
        assertThat(seen).hasSize(3);
        // attempt n+1 cannot start before next_attempt_at n, and its own wait is twice the one before
        assertThat(Duration.between(seen.get(0), seen.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(2 * DELAY_MS));
        assertThat(Duration.between(seen.get(1), seen.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(4 * DELAY_MS));
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'poison-%' AND attempts = 4")).isEqualTo(5);

        // parked per the dead-letter policy, and then the patient's later event goes on
        DeadLetterStore deadLetters = bundle.bean("honeybeeDeadLetters", DeadLetterStore.class);
        List<DeadLetter> parked = deadLetters.forRef(DeadLetterStore.SOURCE_INBOX, "poison-1");
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).reason()).startsWith("failed after 4 attempts: ").contains("INSERT INTO order_exception")
                .doesNotContain("State Invalid");
        bundle.awaitStatus("after-poison-1", InboxStatus.PROCESSED);

        // stored, never lost: a replay once the table is back processes the event
        bundle.sql().update("ALTER TABLE order_exception_away RENAME TO order_exception");
        bundle.context().createProducerTemplate()
                .sendBodyAndHeader("direct:honeybee-replay-dead-letter", null, HoneybeeHeaders.DEAD_LETTER_ID, parked.get(0).id());
        bundle.awaitStatus("poison-1", InboxStatus.PROCESSED);
    }

    private String status(String eventId) {
        return bundle.sql().queryOne("SELECT status FROM inbox WHERE event_id = ?", row -> row.getString(1), eventId).orElse("");
    }
}
