package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.example.honeybee.dispatch.InboxAdmission;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * Admission control at intake: while the dispatcher is more than honeybee.inbox.max-lag-ms behind (here, an
 * event's flow held by the test), a valid webhook is answered 503 with Retry-After and nothing of it is
 * stored; a malformed one still gets its own 4xx; once the dispatcher catches up, the same webhook is
 * stored and processed.
 */
class AdmissionControlRouteTest extends BundleRouteTestSupport {

    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    protected Map<String, String> settings() {
        return Map.of("honeybee.inbox.max-lag-ms", "300");
    }

    @Test
    void aWebhookIsDeferredWhileProcessingIsBehindAndStoredOnceItCatchesUp() throws Exception {
        // the first RX_UPDATED's flow waits for the test: the dispatcher falls behind for as long as the test says
        AdviceWith.adviceWith(context, "honeybee-rx-updated", a -> a.weaveAddFirst().process(exchange -> {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held flow");
            }
        }));
        startBundle();
        InboxAdmission admission = context.getRegistry().lookupByNameAndType("honeybeeInboxAdmission", InboxAdmission.class);

        Exchange held = deliver(EventRouterTest.payload("rx-updated.json"));
        assertThat(held.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        assertThat(held.getMessage().getBody(String.class)).contains("\"accepted\"");
        // the claim of the held event ages while its flow waits
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.lagMillis() > 300);

        String another = EventRouterTest.payload("rx-updated.json").replace("\"patient_id\": \"ay87nt\"", "\"patient_id\": \"another-patient\"")
                .replaceFirst("\"event_id\": \"[^\"]+\"", "\"event_id\": \"deferred-event\"");
        Exchange deferred = deliver(another);
        assertThat(deferred.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(deferred.getMessage().getHeader("Retry-After")).isEqualTo("1");
        assertThat(deferred.getMessage().getBody(String.class)).contains("\"status\":\"rejected\"")
                .contains("honeybee.inbox.max-lag-ms=300").contains("deliver it again after 1 s");
        assertThat(sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = 'deferred-event'")).as("nothing stored").isZero();
        // a redelivery of the stored event is answered "duplicate", not told to come back (it would, again and again)
        Exchange redelivered = deliver(EventRouterTest.payload("rx-updated.json"));
        assertThat(redelivered.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        assertThat(redelivered.getMessage().getBody(String.class)).contains("\"duplicate\"");
        // a malformed event is told what is wrong with it, not to come back later
        Exchange malformed = deliver("{\"event_id\":\"x\"}");
        assertThat(malformed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.lagMillis() == 0);
        Exchange stored = deliver(another);
        assertThat(stored.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                sql().queryOne("SELECT status FROM inbox WHERE event_id = 'deferred-event'", row -> row.getString(1))).contains("PROCESSED"));
    }

    @Test
    void aStoppedDispatcherDefersNothing() throws Exception {
        startBundle();
        InboxAdmission admission = context.getRegistry().lookupByNameAndType("honeybeeInboxAdmission", InboxAdmission.class);
        context.getRouteController().stopRoute("honeybee-inbox-dispatch");

        for (int i = 0; i < 5; i++) {
            Exchange answer = deliver(EventRouterTest.payload("rx-updated.json").replaceFirst("\"event_id\": \"[^\"]+\"", "\"event_id\": \"kept-" + i + "\""));
            assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        }
        assertThat(admission.lagMillis()).isZero();
        assertThat(sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'")).isEqualTo(5);
    }
}
