package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's content-based router: each stored event reaches the flow of its event_type (matched
 * without regard to case), an unknown type reaches none and is kept for operators, and every routed event
 * is marked processed. The per-type flows are replaced by mock endpoints, so only the routing is tested.
 */
class EventRouterTest extends BundleRouteTestSupport {

    private static final List<String> FLOWS = List.of("rx-received", "rx-updated", "shipment-updated", "order-exception");

    @Test
    void eachEventReachesTheFlowOfItsTypeAndAnUnknownTypeReachesNone() throws Exception {
        AdviceWith.adviceWith(context, "honeybee-process-event", a -> {
            for (String flow : FLOWS) {
                a.weaveByToUri("direct:honeybee-" + flow).replace().to("mock:" + flow);
            }
            // after the router, the processed mark and the commit
            a.weaveAddLast().to("mock:processed");
        });
        startBundle();
        for (String flow : FLOWS) {
            getMockEndpoint("mock:" + flow).expectedMessageCount(1);
        }
        getMockEndpoint("mock:rx-received").expectedHeaderReceived("HoneybeeEventType", "RX_RECEIVED");
        getMockEndpoint("mock:shipment-updated").expectedHeaderReceived("HoneybeeEventType", "SHIPMENT_UPDATED");
        getMockEndpoint("mock:processed").expectedMessageCount(5);

        deliver(payload("rx-received.json"));
        deliver(payload("rx-updated.json"));
        deliver(payload("order-exception.json"));
        // Honeybee's types are upper case; a sender's lower-case spelling still reaches the same flow
        deliver(payload("shipment-updated.json").replace("\"SHIPMENT_UPDATED\"", "\"shipment_updated\""));
        deliver("{\"event_id\":\"unknown-1\",\"event_type\":\"PAYMENT_UPDATED\",\"patient_id\":\"p-1\"}");

        MockEndpoint.assertIsSatisfied(context, 20, TimeUnit.SECONDS);
        // the marks commit with the claimed batch, just after the last event of it left the router
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sql().queryOne("SELECT status FROM inbox WHERE event_id = 'unknown-1'", row -> row.getString(1)))
                    .contains("UNKNOWN_TYPE");
            assertThat(sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PROCESSED'")).isEqualTo(4);
        });
    }

    static String payload(String name) {
        try (InputStream in = EventRouterTest.class.getResourceAsStream("/payloads/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
