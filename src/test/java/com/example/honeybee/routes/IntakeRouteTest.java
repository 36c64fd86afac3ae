package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The intake route as an idempotent receiver: an event is stored once, a repeat is answered as a
 * duplicate without a second row, and a refused event never reaches the store. The dispatcher is off,
 * so what the store holds is exactly what the intake wrote.
 */
class IntakeRouteTest extends BundleRouteTestSupport {

    @Override
    protected Map<String, String> settings() {
        return Map.of("honeybee.inbox.dispatch-enabled", "false");
    }

    @Test
    void aRepeatedEventIsAnsweredAsADuplicateAndStoredOnce() throws Exception {
        AdviceWith.adviceWith(context, "honeybee-intake", a -> a.weaveById("store-in-inbox").after().to("mock:stored"));
        startBundle();
        MockEndpoint stored = getMockEndpoint("mock:stored");
        stored.expectedHeaderValuesReceivedInAnyOrder("HoneybeeInboxOutcome", "ACCEPTED", "DUPLICATE");
        stored.message(0).header("HoneybeeEventId").isEqualTo("e-1");
        String body = "{\"event_id\":\"e-1\",\"event_type\":\"PAYMENT_UPDATED\",\"patient_id\":\"p-1\"}";

        Exchange first = deliver(body);
        Exchange repeat = deliver(body);

        stored.assertIsSatisfied();
        assertThat(first.getMessage().getBody(String.class)).contains("\"status\":\"accepted\"");
        assertThat(repeat.getMessage().getBody(String.class)).contains("\"status\":\"duplicate\"");
        assertThat(sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = 'e-1'")).isEqualTo(1);
    }

    @Test
    void aForgedSignatureIsRefusedBeforeTheStore() throws Exception {
        AdviceWith.adviceWith(context, "honeybee-intake", a -> a.weaveById("verify-signature").after().to("mock:authenticated"));
        startBundle();
        MockEndpoint authenticated = getMockEndpoint("mock:authenticated");
        authenticated.expectedMessageCount(0);

        Exchange answer = deliver("{\"event_id\":\"e-2\",\"event_type\":\"RX_RECEIVED\",\"patient_id\":\"p-1\"}",
                "qQ0WU6unEWl3lfcxkBaWEW8z0xgK");

        authenticated.assertIsSatisfied();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(answer.getMessage().getBody(String.class)).contains("X-Honeybee-Signature");
        assertThat(sql().count("SELECT COUNT(*) FROM inbox")).isZero();
    }
}
