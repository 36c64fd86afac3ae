package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL an instance that stores an event wakes the dispatcher of another instance through
 * LISTEN/NOTIFY: the other instance processes it long before its safety-net poll would have.
 */
class PostgresWakeupTest {

    @Test
    void anEventStoredByOneInstanceIsProcessedPromptlyByAnother() {
        String dbUrl = PostgresDatabase.freshSchemaUrl();
        Map<String, String> intakeOnly = new HashMap<>(PostgresDatabase.credentials());
        intakeOnly.put("honeybee.inbox.dispatch-enabled", "false");
        Map<String, String> dispatcher = new HashMap<>(PostgresDatabase.credentials());
        // without a wake, this instance would look at the inbox once a minute
        dispatcher.put("honeybee.inbox.safety-poll-ms", "60000");
        try (RunningBundle storing = RunningBundle.start(dbUrl, intakeOnly);
             RunningBundle processing = RunningBundle.start(dbUrl, dispatcher)) {
            // both up and idle: the dispatcher's first polls are behind it
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            long posted = System.nanoTime();
            assertThat(storing.postSigned(payload("rx-updated.json", "notify-1")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> processing.sql()
                    .queryOne("SELECT status FROM inbox WHERE event_id = 'notify-1'", row -> row.getString(1)).orElse("").equals("PROCESSED"));
            assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofSeconds(10));
            assertThat(processing.sql().queryOne("SELECT locked_by FROM inbox WHERE event_id = 'notify-1'", row -> row.getString(1)))
                    .isPresent();
        }
    }
}
