package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.example.honeybee.dispatch.InboxAdmission;
import com.example.honeybee.inbox.InboxStatus;
import org.junit.jupiter.api.Test;

/**
 * Admission control over real HTTP, as a sender sees it: with a bound of 1 ms every burst puts processing
 * behind it, so some webhooks of a concurrent burst are answered 503. Each answer is either 200 (the event is
 * stored, and processed) or 503 with a Retry-After in seconds and nothing stored; sending the refused ones
 * again, as Honeybee would, stores them all: none lost, none stored twice.
 */
class AdmissionControlTest {

    @Test
    void everyWebhookOfABurstIsStoredOrDeferredWithRetryAfterAndTheDeferredOnesAreTakenLater() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(Map.of("honeybee.inbox.max-lag-ms", "1"))) {
            int events = 300;
            ConcurrentLinkedQueue<String> deferred = new ConcurrentLinkedQueue<>();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    String eventId = "burst-" + i;
                    sent.add(senders.submit(() -> {
                        HttpResponse<String> answer = bundle.postSigned(payload("rx-updated.json", eventId));
                        if (answer.statusCode() == 503) {
                            assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                            assertThat(answer.body()).contains("honeybee.inbox.max-lag-ms=1").contains("deliver it again after 1 s");
                            deferred.add(eventId);
                        } else {
                            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : sent) {
                    future.get();
                }
            } finally {
                senders.shutdown();
            }
            assertThat(deferred).as("a 300-event burst against a 1 ms bound defers some").isNotEmpty();
            for (String eventId : deferred) {
                assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = ?", eventId)).as(eventId + " not stored").isZero();
            }

            // the sender comes back after Retry-After: once processing has caught up, each is taken
            List<String> all = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                all.add("burst-" + i);
            }
            bundle.awaitStatus(all.stream().filter(id -> !deferred.contains(id)).toList(), InboxStatus.PROCESSED);
            InboxAdmission admission = bundle.bean("honeybeeInboxAdmission", InboxAdmission.class);
            for (String eventId : deferred) {
                await().atMost(Duration.ofSeconds(10)).until(() -> admission.lagMillis() == 0);
                HttpResponse<String> again = bundle.postSigned(payload("rx-updated.json", eventId));
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                bundle.awaitStatus(eventId, InboxStatus.PROCESSED);
            }
            assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'burst-%'")).isEqualTo(events);
            assertThat(bundle.get("/observe/metrics").body()).containsPattern("honeybee_webhooks_rejected_total\\{reason=\"backlog\"\\} " + deferred.size() + "\\.0");
        }
    }
}
