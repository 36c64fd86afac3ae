package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Correcting an order's shipping address over real HTTP: the ops API's PUT /api/orders/{number}/shipping-address,
 * Honeybee's PUT /v1/orders/{order_number}/shipping_address on the embedded sandbox, the order's timeline, and the
 * refusals (codes from Honeybee's "More of the Partner API": 42221–42231 by field, 42228 already shipped, 42229
 * controlled substance, 42293 PO Box with an express method) as the ops API's 4xx.
 */
class AddressCorrectionTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "address-test-token";
    private static final String CORRECTED = "{\"first_name\": \"Honee\", \"last_name\": \"Bea\", \"street1\": \"500 Congress Ave\","
            + " \"street2\": \"Apt 4\", \"city\": \"Austin\", \"state\": \"TX\", \"zip\": \"78701-1234\", \"phone\": \"(310) 555-0192\"}";
    private OpsClient ops;

    private void start(String... settings) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of("honeybee.ops.token", TOKEN,
                "honeybee.sandbox.exception-on-order", "1"));
        for (int i = 0; i < settings.length; i += 2) {
            overrides.put(settings[i], settings[i + 1]);
        }
        start(overrides);
        ops = new OpsClient(bundle.port(), TOKEN);
        life.partnerPatient(HONEE);
    }

    /** A fill of a new prescription of Honee's, placed and held (the sandbox's first order goes On Hold): its order number. */
    private String heldOrder() {
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");
        await().atMost(Duration.ofSeconds(20)).until(() -> exceptionOf(order) != null);
        return order;
    }

    private Long exceptionOf(String order) {
        return bundle.sql().queryOne("SELECT exception_id FROM order_exception WHERE order_number = ? AND status = 'OPEN'",
                row -> row.getLong(1), order).orElse(null);
    }

    private OpsClient.Answer put(String order, String body) {
        return ops.call("PUT", "/orders/" + order + "/shipping-address", body);
    }

    @Test
    void anAddressHoldIsCorrectedThenVerifiedAndTheOrderShips() {
        try (LogCapture log = LogCapture.attach()) {
            start();
            String order = heldOrder();

            OpsClient.Answer prefill = ops.get("/orders/" + order + "/shipping-address");
            assertThat(prefill.status()).isEqualTo(200);
            assertThat(prefill.body().path("partner_patient_id").asText()).isEqualTo("P-1001");
            assertThat(prefill.body().path("address").path("street1").asText()).isEqualTo("123 Main St");
            assertThat(prefill.body().path("address").path("state").asText()).isEqualTo("TX");

            OpsClient.Answer corrected = put(order, CORRECTED);
            assertThat(corrected.status()).as(corrected.body().toString()).isEqualTo(200);
            assertThat(corrected.body().path("outcome").asText()).isEqualTo("CHANGED");
            assertThat(corrected.body().path("request_id").asText()).startsWith("sbx-");

            JsonNode atHoneybee = life.sandbox().shippingAddress(order);
            assertThat(atHoneybee.path("street1").asText()).isEqualTo("500 Congress Ave");
            assertThat(atHoneybee.path("street2").asText()).isEqualTo("Apt 4");
            assertThat(atHoneybee.path("zip").asText()).isEqualTo("78701-1234");
            assertThat(atHoneybee.path("phone").asText()).isEqualTo("3105550192");
            assertThat(atHoneybee.path("accept_suggested").asBoolean(true)).isFalse();
            assertThat(atHoneybee.path("ignore_warnings").asBoolean(true)).isFalse();

            long exceptionId = exceptionOf(order);
            assertThat(ops.post("/exceptions/" + exceptionId + "/actions", "{\"action\": \"verified_by_partner\"}").status()).isEqualTo(201);
            life.awaitOrderStatus(order, "Delivered");

            JsonNode detail = ops.get("/orders/" + order).body();
            JsonNode change = detail.path("address_changes").get(0);
            assertThat(change.path("outcome").asText()).isEqualTo("CHANGED");
            assertThat(change.path("exception_id").asText()).isEqualTo(String.valueOf(exceptionId));
            assertThat(change.path("requested_by").asText()).isEqualTo("operator");
            assertThat(change.path("http_status").asInt()).isEqualTo(200);
            assertThat(detail.toString()).doesNotContain("Congress").doesNotContain("78701");
            assertThat(log.text()).contains("shipping address corrected").doesNotContain("Congress").doesNotContain("555-0192")
                    .doesNotContain("3105550192");
        }
    }

    @Test
    void badFieldsAreRefusedBeforeAnyCallNamingTheField() {
        start();
        String order = heldOrder();
        Map<String, String> refused = Map.of(
                "{\"first_name\": \"Honee\", \"last_name\": \"Bea\", \"street1\": \"1 A St\", \"city\": \"Austin\", \"state\": \"TX\"}", "zip",
                CORRECTED.replace("78701-1234", "7870"), "zip",
                CORRECTED.replace("\"TX\"", "\"Texas\""), "state",
                CORRECTED.replace("\"Honee\"", "42"), "first_name",
                CORRECTED.replace("\"phone\"", "\"zipcode\""), "zipcode",
                CORRECTED.replace("}", ", \"accept_suggested\": \"yes\"}"), "accept_suggested",
                CORRECTED.replace("(310) 555-0192", "555"), "phone",
                CORRECTED.replace("500 Congress Ave", "500 Congress\\u0000Ave"), "street1");
        refused.forEach((body, field) -> {
            OpsClient.Answer answer = put(order, body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.body().path("error").asText()).as(body).contains(field);
            assertThat(answer.body().path("fields").get(0).asText()).as(body).isEqualTo(field);
        });
        assertThat(put(order, "{not json").status()).isEqualTo(400);
        assertThat(put("HB-NOPE", CORRECTED).status()).isEqualTo(404);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'PUT'")).as("no call for a bad request").isZero();
    }

    @Test
    void honeybeeRefusalsComeBackFieldByField() {
        start("honeybee.sandbox.unshippable-states", "HI");
        String order = heldOrder();

        OpsClient.Answer state = put(order, CORRECTED.replace("\"TX\"", "\"ZZ\"").replace("\"Austin\"", "\"\\u00a0x\""));
        assertThat(state.status()).isEqualTo(422);
        assertThat(state.body().path("error_code").asText()).isEqualTo("42226");
        assertThat(state.body().path("error").asText()).contains("42226").contains("state (address.state)");

        OpsClient.Answer unshippable = put(order, CORRECTED.replace("\"TX\"", "\"HI\""));
        assertThat(unshippable.status()).isEqualTo(422);
        assertThat(unshippable.body().path("error_code").asText()).isEqualTo("42231");
        assertThat(unshippable.body().path("fields")).extracting(JsonNode::asText).containsExactly("state");

        OpsClient.Answer notFound = put(order, CORRECTED.replace("500 Congress Ave", "Congress Avenue"));
        assertThat(notFound.status()).isEqualTo(422);
        assertThat(notFound.body().path("error_code").asText()).isEqualTo("42230");
        assertThat(notFound.body().path("fields")).extracting(JsonNode::asText).containsExactly("address.not_found");
        // Honeybee accepts an address it flagged when told to ignore its warnings
        assertThat(put(order, CORRECTED.replace("500 Congress Ave", "Congress Avenue").replace("}", ", \"ignore_warnings\": true}"))
                .status()).isEqualTo(200);
        assertThat(life.sandbox().shippingAddress(order).path("ignore_warnings").asBoolean()).isTrue();

        JsonNode changes = ops.get("/orders/" + order).body().path("address_changes");
        assertThat(changes).extracting(c -> c.path("outcome").asText()).containsExactly("REFUSED", "REFUSED", "REFUSED", "CHANGED");
        assertThat(changes.get(0).path("error_fields")).extracting(JsonNode::asText).containsExactly("address.state");
    }

    @Test
    void aPoBoxIsRefusedForTheExpressMethod() {
        start("honeybee.shipping.method-id", "2");
        String order = heldOrder();

        OpsClient.Answer poBox = put(order, CORRECTED.replace("500 Congress Ave", "PO Box 1234"));

        assertThat(poBox.status()).isEqualTo(422);
        assertThat(poBox.body().path("error_code").asText()).isEqualTo("42293");
        assertThat(poBox.body().path("error").asText()).contains("PO Box");
        assertThat(poBox.body().path("fields")).extracting(JsonNode::asText).containsExactly("street1");
    }

    @Test
    void anOrderThatShippedAnswers409AndAControlledSubstanceNeedsApproval() {
        start();
        String held = heldOrder();
        // a second order (not held) goes all the way
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String shipped = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(shipped, "Shipped");

        OpsClient.Answer late = put(shipped, CORRECTED);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body().path("error_code").asText()).isEqualTo("42228");
        assertThat(late.body().path("error").asText()).contains("already shipped");

        life.sandbox().setDrugSchedule(bundle.sql().queryOne("SELECT prescription_id FROM rx_order_item WHERE order_number = ?",
                row -> row.getLong(1), held).orElseThrow(), "2");
        OpsClient.Answer controlled = put(held, CORRECTED);
        assertThat(controlled.status()).isEqualTo(422);
        assertThat(controlled.body().path("error_code").asText()).isEqualTo("42229");
        assertThat(controlled.body().path("error").asText()).contains("controlled substance");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM order_address_change WHERE outcome = 'REFUSED'")).isEqualTo(2);
        assertThat(List.of(late.body().toString(), controlled.body().toString())).noneMatch(b -> b.contains("Congress"));
    }

    @Test
    void ordersCarryTheAddressFlagsFromConfigurationOrFromTheFillRequest() {
        start("honeybee.sandbox.exception-on-order", "0", "honeybee.order.address.ignore-warnings", "true");
        // a street Honeybee flags (no house number): accepted because the configuration says ignore_warnings
        life.partnerPatient(new com.example.honeybee.patients.PartnerPatient("P-1001", "EHR-1001", "honee.bea@example.com", "Honee",
                "Bea", java.time.LocalDate.of(1990, 6, 14), "310-555-0192", "Main Street", null, "Austin", "TX", "78701", true));
        long first = life.prescribe(HONEE);
        life.requestFill(first);
        life.awaitFill(first, 1, FillStatus.PLACED);
        JsonNode configured = life.sandbox().orderRequests().get(0).path("address");
        assertThat(configured.path("ignore_warnings").asBoolean()).isTrue();
        assertThat(configured.has("accept_suggested")).as("false by default: left out").isFalse();

        long second = life.prescribe(HONEE);
        var template = bundle.context().createProducerTemplate();
        template.requestBodyAndHeaders("direct:honeybee-request-fill", Map.of("accept_suggested", true, "ignore_warnings", true),
                Map.of("HoneybeePrescriptionId", second, "HoneybeeRequestedBy", "test", "HoneybeeAcceptSuggested", "true"));
        life.awaitFill(second, 1, FillStatus.PLACED);
        JsonNode asked = life.sandbox().orderRequests().get(1).path("address");
        assertThat(asked.path("accept_suggested").asBoolean()).isTrue();
        assertThat(asked.path("ignore_warnings").asBoolean()).isTrue();

        long third = life.prescribe(HONEE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> template.requestBodyAndHeaders("direct:honeybee-request-fill", null,
                        Map.of("HoneybeePrescriptionId", third, "HoneybeeIgnoreWarnings", "maybe")))
                .hasRootCauseMessage("HoneybeeIgnoreWarnings must be true or false");
        assertThat(life.fill(third, 1)).isEmpty();
    }

    @Test
    void withoutIgnoreWarningsAFlaggedAddressIsRefusedWith42230() {
        start("honeybee.sandbox.exception-on-order", "0");
        life.partnerPatient(new com.example.honeybee.patients.PartnerPatient("P-1001", "EHR-1001", "honee.bea@example.com", "Honee",
                "Bea", java.time.LocalDate.of(1990, 6, 14), "310-555-0192", "Main Street", null, "Austin", "TX", "78701", true));
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        assertThat(life.awaitFill(rx, 1, FillStatus.DEAD).errorCode()).isEqualTo("42230");
    }
}
