package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's dead-letter channel with retries in the database: an event whose flow always fails is
 * given honeybee.retry.max-redeliveries more attempts (each one a new claim after its backoff, the
 * dispatcher free meanwhile), then parked in the dead-letter store; another patient's event is processed
 * while the failing one waits.
 */
class DeadLetterChannelRouteTest extends BundleRouteTestSupport {

    @Override
    protected Map<String, String> settings() {
        return Map.of("honeybee.retry.max-redeliveries", "2", "honeybee.retry.delay-ms", "100", "honeybee.retry.backoff-multiplier", "2");
    }

    @Test
    void aFailingEventIsRetriedAfterBackoffThenParkedWhileOthersGoOn() throws Exception {
        AdviceWith.adviceWith(context, "honeybee-rx-received",
                a -> a.weaveAddFirst().to("mock:rx-received-attempts").throwException(new IllegalStateException("failing flow")));
        AdviceWith.adviceWith(context, "honeybee-process-event",
                a -> a.weaveByToUri("direct:honeybee-rx-updated").replace().to("mock:rx-updated"));
        AdviceWith.adviceWith(context, "honeybee-inbox-dead-letter", a -> a.weaveAddLast().to("mock:failed-attempts"));
        startBundle();
        MockEndpoint attempts = getMockEndpoint("mock:rx-received-attempts");
        attempts.expectedMessageCount(3);
        MockEndpoint failed = getMockEndpoint("mock:failed-attempts");
        failed.expectedMessageCount(3);
        failed.message(0).exchangeProperty("HoneybeeRetryLater").isEqualTo(true);
        failed.message(1).exchangeProperty("HoneybeeRetryLater").isEqualTo(true);
        failed.message(2).exchangeProperty("HoneybeeRetryLater").isEqualTo(false);
        MockEndpoint other = getMockEndpoint("mock:rx-updated");
        other.expectedMessageCount(1);

        deliver(EventRouterTest.payload("rx-received.json"));
        deliver(EventRouterTest.payload("rx-updated.json").replace("\"patient_id\": \"ay87nt\"", "\"patient_id\": \"another-patient\""));

        MockEndpoint.assertIsSatisfied(context, 30, TimeUnit.SECONDS);
        // the other patient's event did not wait for the failing one's retries
        assertThat(other.getReceivedExchanges().get(0).getCreated()).isLessThan(attempts.getReceivedExchanges().get(2).getCreated());
        // the marks commit with the claimed batch, just after the dead-letter route ran
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sql().queryOne("SELECT status FROM inbox WHERE event_type = 'RX_RECEIVED'", row -> row.getString(1))).contains("DEAD");
            assertThat(sql().count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(1);
            assertThat(sql().queryOne("SELECT status FROM inbox WHERE event_type = 'RX_UPDATED'", row -> row.getString(1))).contains("PROCESSED");
        });
    }
}
