package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import org.junit.jupiter.api.Test;

/**
 * When the database answers but the bundle's statements fail (a table gone), its polling consumers back off
 * and log the failure once per interval instead of once per poll, and they recover when the table returns.
 */
class RunawaySchedulerTest {

    @Test
    void aMissingTableIsLoggedAFewTimesNotOncePerPollAndTheConsumersRecover() throws Exception {
        // a safety-net poll every 20 ms: without backoff the dispatcher and the outbox would poll ~250 times a second each
        try (RunningBundle bundle = RunningBundle.start(Map.of("honeybee.inbox.safety-poll-ms", "20", "honeybee.outbox.safety-poll-ms", "20",
                "honeybee.poll.error-backoff-base-ms", "100", "honeybee.poll.error-backoff-max-ms", "800"));
             LogCapture log = LogCapture.attach()) {
            bundle.sql().update("ALTER TABLE inbox RENAME TO inbox_away");
            bundle.sql().update("ALTER TABLE fill_request RENAME TO fill_request_away");
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> failureLines(log).size() >= 2);
            while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                Thread.sleep(100);
            }
            List<String> lines = log.lines();
            List<String> failures = failureLines(log);
            // one line per consumer (the interval is 60 s): the dispatcher, the outbox and, when its 5 s interval came
            // round, the H2 maintenance; no stack trace, and nothing else spamming
            assertThat(failures).anySatisfy(line -> assertThat(line).startsWith("honeybee-inbox-dispatch failed: "))
                    .anySatisfy(line -> assertThat(line).startsWith("honeybee-order-outbox failed: "))
                    .allSatisfy(line -> assertThat(line).matches("honeybee-(inbox-dispatch|order-outbox|h2-store-maintenance) failed: .*"));
            assertThat(failures.stream().map(line -> line.substring(0, line.indexOf(' '))).distinct().count()).isEqualTo(failures.size());
            assertThat(lines).noneSatisfy(line -> assertThat(line).contains("\tat "));
            assertThat(lines.size()).isLessThanOrEqualTo(7);

            bundle.sql().update("ALTER TABLE inbox_away RENAME TO inbox");
            bundle.sql().update("ALTER TABLE fill_request_away RENAME TO fill_request");
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream().filter(line -> line.contains("recovered after")
                    && !line.startsWith("honeybee-h2-store-maintenance")).count() == 2);
            byte[] body = payload("rx-updated.json", "after-recovery");
            assertThat(bundle.postSigned(body).statusCode()).isEqualTo(200);
            bundle.awaitStatus("after-recovery", InboxStatus.PROCESSED);
        }
    }

    private static List<String> failureLines(LogCapture log) {
        return log.lines().stream().filter(line -> line.contains(" failed: ") || line.contains(" still failing: ")).toList();
    }
}
