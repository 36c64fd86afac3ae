package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.orders.ExceptionActions;
import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillRefusedException;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.patients.PatientReviewQueue;
import com.example.honeybee.record.ExceptionRepository;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/** A prescription's life over real HTTP against the embedded sandbox: matching, fills, refills, exceptions. */
class OrderLifecycleTest extends SandboxBundleTestSupport {




    @Test
    void orderBodyHasExactlyTheGuideShape() {
        start(Map.of("honeybee.order.add-on-skus", "HB-INSERT", "honeybee.shipping.method-id", "2"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);

        life.requestFill(rx);
        life.awaitFill(rx, 1, FillStatus.PLACED);

        JsonNode body = life.sandbox().orderRequests().get(0);
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("patient", "items", "shipping", "address");
        assertThat(body.path("patient").fieldNames()).toIterable().containsExactlyInAnyOrder("patient_id", "patient_safety");
        assertThat(body.path("patient").path("patient_id").asText()).isEqualTo("EHR-1001");
        for (String list : List.of("medications", "health_conditions", "allergies")) {
            assertThat(body.path("patient").path("patient_safety").path(list).isArray()).as(list).isTrue();
        }
        assertThat(body.path("items").size()).isEqualTo(2);
        assertThat(body.path("items").get(0).fieldNames()).toIterable().containsExactly("prescription_id");
        assertThat(body.path("items").get(0).path("prescription_id").isIntegralNumber()).isTrue();
        assertThat(body.path("items").get(0).path("prescription_id").asLong()).isEqualTo(rx);
        assertThat(body.path("items").get(1).path("sku").asText()).isEqualTo("HB-INSERT");
        assertThat(body.path("shipping").fieldNames()).toIterable().containsExactly("method_id");
        assertThat(body.path("shipping").path("method_id").isInt()).isTrue();
        assertThat(body.path("shipping").path("method_id").asInt()).isEqualTo(2);
        JsonNode address = body.path("address");
        assertThat(address.path("first_name").asText()).isEqualTo("Honee");
        assertThat(address.path("last_name").asText()).isEqualTo("Bea");
        assertThat(address.path("phone").asText()).isEqualTo("3105550192");
        assertThat(address.path("street1").asText()).isEqualTo("123 Main St");
        assertThat(address.path("city").asText()).isEqualTo("Austin");
        assertThat(address.path("state").asText()).isEqualTo("TX");
        assertThat(address.path("zip").asText()).isEqualTo("78701");
        assertThat(address.has("street2")).isFalse();
    }

    @Test
    void approvalPolicyOrdersNothingUntilTheFillIsApproved() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        String eventId = bundle.sql().queryOne("SELECT event_id FROM inbox WHERE event_type = 'RX_RECEIVED'", r -> r.getString(1)).orElseThrow();
        bundle.awaitStatus(eventId, InboxStatus.PROCESSED);

        assertThat(life.fill(rx, 1)).isEmpty();
        assertThat(life.sandbox().orderPosts()).isZero();

        life.requestFill(rx);
        Fill placed = life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(placed.orderNumber()).isNotBlank();
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
    }

    @Test
    void autoPolicyOrdersOnRxReceived() {
        start(Map.of("honeybee.fill.policy", "auto"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);

        Fill placed = life.awaitFill(rx, 1, FillStatus.PLACED);

        assertThat(placed.requestedBy()).isEqualTo("auto-policy");
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
    }

    @Test
    void refillReusesTheSamePrescriptionIdAndTheOrderGoesThroughItsWholeLife() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE, true, 2, null);
        life.requestFill(rx);
        String first = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(first, "Delivered");
        assertThat(life.orders().history(first)).extracting(h -> h.status())
                .containsSubsequence("Processing", "Filling", "Shipped", "Delivered");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM shipment_tracking_event WHERE order_number = ?", first)).isEqualTo(3);
        life.awaitRefillsLeft(rx, 1);

        life.requestFill(rx);
        String second = life.awaitFill(rx, 2, FillStatus.PLACED).orderNumber();

        assertThat(second).isNotEqualTo(first);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(first, second);
        assertThat(life.sandbox().orderRequests()).extracting(b -> b.path("items").get(0).path("prescription_id").asLong())
                .containsExactly(rx, rx);
    }

    @Test
    void refillIsRefusedWhenNoRefillsAreLeft() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE, true, 0, null);
        life.requestFill(rx);
        life.awaitFill(rx, 1, FillStatus.PLACED);

        assertThatThrownBy(() -> life.requestFill(rx)).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(FillRefusedException.class).hasMessage("prescription " + rx + " has no refills left");
        assertThat(life.sandbox().orderPosts()).isEqualTo(1);
    }

    @Test
    void fillIsRefusedAfterThePrescriptionExpired() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE, true, 3, OffsetDateTime.now().minusDays(1).toString());

        assertThatThrownBy(() -> life.requestFill(rx)).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(FillRefusedException.class).hasMessageContaining("expired");
        assertThat(life.fill(rx, 1)).isEmpty();
        assertThat(life.sandbox().orderPosts()).isZero();
    }

    @Test
    void aSecondRequestWhileAFillIsStillOpenIsRefused() {
        start(Map.of("honeybee.outbox.enabled", "false"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);

        assertThatThrownBy(() -> life.requestFill(rx)).cause().isInstanceOf(FillRefusedException.class)
                .hasMessageContaining("fill 1 of prescription " + rx + " is still pending");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM fill_request WHERE prescription_id = ?", rx)).isEqualTo(1);
    }

    @Test
    void ambiguousPatientGoesToTheReviewQueueAndNoOrderIsPlaced() {
        start(Map.of());
        // no EHR id in the prescription, and two partner records share Honeybee's email
        life.partnerPatient(new PartnerPatient("P-2001", null, "HONEE.BEA@example.com", "Honee", "Bea", LocalDate.of(1990, 6, 14),
                null, "1 A St", null, "Austin", "TX", "78701", true));
        life.partnerPatient(new PartnerPatient("P-2002", null, "honee.bea@example.com", "Honee", "Bea", LocalDate.of(1990, 6, 14),
                null, "2 B St", null, "Austin", "TX", "78702", true));
        long rx = life.prescribe(HONEE, false, 2, null);

        life.requestFill(rx);
        life.awaitFill(rx, 1, FillStatus.NEEDS_REVIEW);

        List<PatientReviewQueue.Review> open = bundle.bean("honeybeePatientReviews", PatientReviewQueue.class).open();
        assertThat(open).hasSize(1);
        assertThat(open.get(0).reason()).isEqualTo("2 partner patients match by email");
        assertThat(open.get(0).candidates()).isEqualTo(2);
        assertThat(life.sandbox().orderPosts()).isZero();
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM patient_link")).isZero();
    }

    @Test
    void patientIsMatchedByEmailCaseInsensitivelyWhenThereIsNoEhrId() {
        start(Map.of());
        life.partnerPatient(new PartnerPatient("P-3001", null, "Honee.Bea@Example.com", "Honee", "Bea", LocalDate.of(1990, 6, 14),
                "310-555-0192", "123 Main St", null, "Austin", "TX", "78701", true));
        long rx = life.prescribe(HONEE, false, 2, null);

        life.requestFill(rx);
        life.awaitFill(rx, 1, FillStatus.PLACED);

        assertThat(bundle.sql().queryOne("SELECT matched_by FROM patient_link WHERE partner_patient_id = 'P-3001'",
                r -> r.getString(1))).contains("email");
    }

    @Test
    void exceptionIsAnsweredWithTheUpperCaseEventAndTheOrderCarriesOn() {
        start(Map.of("honeybee.sandbox.exception-on-order", "1"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");
        long exceptionId = bundle.sql().queryOne("SELECT exception_id FROM order_exception WHERE order_number = ?",
                r -> r.getLong(1), order).orElseThrow();
        var template = bundle.context().createProducerTemplate();

        assertThatThrownBy(() -> template.requestBodyAndHeaders("direct:honeybee-order-action", null,
                Map.of(ExceptionActions.EXCEPTION_ID, exceptionId, ExceptionActions.ACTION, "request_refund_by_partner",
                        ExceptionActions.REFUND_REASON_ID, 1)))
                .cause().isInstanceOf(ExceptionActions.ActionRefusedException.class).hasMessageContaining("is not offered");
        assertThat(life.sandbox().actionRequests()).isEmpty();

        template.requestBodyAndHeaders("direct:honeybee-order-action", null,
                Map.of(ExceptionActions.EXCEPTION_ID, exceptionId, ExceptionActions.ACTION, "verified_by_partner"));

        assertThat(life.sandbox().actionRequests()).extracting(b -> b.toString()).containsExactly("{\"event\":\"VERIFIED_BY_PARTNER\"}");
        assertThat(bundle.bean("honeybeeOrderExceptions", ExceptionRepository.class).find(exceptionId).orElseThrow().status()).isEqualTo("ANSWERED");
        life.awaitOrderStatus(order, "Delivered");
        await().atMost(Duration.ofSeconds(5)).until(() -> "Delivered".equals(life.sandbox().orderStatus(order)));
    }
}
