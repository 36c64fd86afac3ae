package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.example.honeybee.dispatch.InboxAdmission;
import com.example.honeybee.inbox.InboxStatus;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * Admission control over real HTTP, as a sender sees it. The test holds the first event's flow (AdviceWith on the
 * running bundle), so processing falls behind for as long as it says; meanwhile a concurrent burst of webhooks is
 * answered 503 with a Retry-After header on the wire and nothing of it is stored. Once the flow is released and
 * the dispatcher has caught up, the same webhooks sent again, as Honeybee would, are all stored and processed once.
 */
class AdmissionControlTest {

    @Test
    void aBurstWhileProcessingIsBehindIsDeferredOverHttpAndTakenWhenSentAgain() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(Map.of("honeybee.inbox.max-lag-ms", "200"))) {
            CountDownLatch release = new CountDownLatch(1);
            AdviceWith.adviceWith(bundle.context(), "honeybee-rx-updated", a -> a.weaveAddFirst().process(exchange -> {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the held flow");
                }
            }));
            InboxAdmission admission = bundle.bean("honeybeeInboxAdmission", InboxAdmission.class);
            assertThat(bundle.postSigned(payload("rx-updated.json", "held")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.lagMillis() > 200);

            List<String> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add("burst-" + i);
            }
            ExecutorService senders = Executors.newFixedThreadPool(8);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (String eventId : burst) {
                    answers.add(senders.submit(() -> bundle.postSignedOnce(payload("rx-updated.json", eventId))));
                }
                for (Future<HttpResponse<String>> future : answers) {
                    HttpResponse<String> answer = future.get();
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                    assertThat(answer.body()).contains("\"status\":\"rejected\"").contains("honeybee.inbox.max-lag-ms=200")
                            .contains("deliver it again after 1 s");
                }
            } finally {
                senders.shutdown();
            }
            assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'burst-%'")).as("nothing stored").isZero();
            assertThat(bundle.get("/observe/metrics").body()).containsPattern("honeybee_webhooks_rejected_total\\{reason=\"backlog\"\\} 20\\.0");

            release.countDown();
            bundle.awaitStatus("held", InboxStatus.PROCESSED);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.lagMillis() == 0);
            for (String eventId : burst) {
                // as Honeybee does: a 503 (a slow claim on a loaded machine can still pass the bound) is sent again after Retry-After
                assertThat(bundle.postSigned(payload("rx-updated.json", eventId)).statusCode()).isEqualTo(200);
            }
            bundle.awaitStatus(burst, InboxStatus.PROCESSED);
            assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'burst-%'")).isEqualTo(20);
        }
    }
}
