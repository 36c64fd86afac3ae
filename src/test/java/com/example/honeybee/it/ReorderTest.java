package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.orders.Reorder;
import com.example.honeybee.orders.ReorderRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Reorders over real HTTP: the ops API's POST /api/orders/{number}/reorders, the order outbox, Honeybee's
 * POST /v1/orders/{order_number}/reorders on the embedded sandbox, the new order tracked and linked both ways,
 * the refusals, and one reorder per request also when the worker dies after its POST.
 */
class ReorderTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "reorder-test-token";
    private static final String LOST = "{\"reason\": \"lost\", \"note\": \"carrier lost it\"}";
    private OpsClient ops;

    private void start() {
        start(Map.of("honeybee.ops.token", TOKEN));
        ops = new OpsClient(bundle.port(), TOKEN);
        life.partnerPatient(HONEE);
    }

    private String deliveredOrder() {
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "Delivered");
        return order;
    }

    private Reorder awaitReorder(String original, FillStatus status) {
        ReorderRepository reorders = bundle.bean("honeybeeReorderRequests", ReorderRepository.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> reorders.ofOriginal(original).stream().anyMatch(r -> r.status() == status));
        return reorders.ofOriginal(original).stream().filter(r -> r.status() == status).findFirst().orElseThrow();
    }

    @Test
    void aDeliveredOrderIsReorderedOnceAndTheNewOrderIsTrackedAndLinkedBothWays() {
        start();
        String original = deliveredOrder();
        long rx = life.orders().prescriptionIds(original).get(0);

        OpsClient.Answer asked = ops.post("/orders/" + original + "/reorders", LOST);
        assertThat(asked.status()).as(asked.body().toString()).isEqualTo(201);
        assertThat(asked.body().path("created").asBoolean()).isTrue();
        assertThat(asked.body().path("reason").asText()).isEqualTo("lost");
        OpsClient.Answer again = ops.post("/orders/" + original + "/reorders", LOST);
        assertThat(again.body().path("created").asBoolean()).as("the same request again").isFalse();
        assertThat(again.body().path("reorder_id").asText()).isEqualTo(asked.body().path("reorder_id").asText());

        String replacement = awaitReorder(original, FillStatus.PLACED).newOrderNumber();
        assertThat(replacement).isNotEqualTo(original).isEqualTo(life.sandbox().replacementOf(original));
        assertThat(life.sandbox().reorderPosts()).isEqualTo(1);
        life.awaitOrderStatus(replacement, "Delivered");   // from the sandbox's webhooks for the new order

        JsonNode originalDetail = ops.get("/orders/" + original).body();
        assertThat(originalDetail.path("reorders").get(0).path("new_order_number").asText()).isEqualTo(replacement);
        assertThat(originalDetail.path("reorders").get(0).path("status").asText()).isEqualTo("PLACED");
        assertThat(originalDetail.path("reorder_of").isNull()).isTrue();
        JsonNode replacementDetail = ops.get("/orders/" + replacement).body();
        assertThat(replacementDetail.path("reorder_of").path("original_order_number").asText()).isEqualTo(original);
        assertThat(replacementDetail.path("reorder_of").path("reason").asText()).isEqualTo("lost");
        assertThat(replacementDetail.path("prescriptions").get(0).path("prescription_id").asLong()).isEqualTo(rx);
        // a replacement is not a fill: the next fill of the prescription is still its second
        assertThat(bundle.bean("honeybeeFills", com.example.honeybee.orders.FillRepository.class).history(rx).nextFillNumber()).isEqualTo(2);
        assertThat(life.sandbox().orderRequests().get(0).path("items").get(0).path("prescription_id").asLong()).isEqualTo(rx);
    }

    @Test
    void aProcessingOrderIsAnswered409WithTheReasonAndBadRequestsNameTheField() throws Exception {
        start();
        long rx = life.prescribe(HONEE);
        bundle.context().getRouteController().stopRoute("honeybee-sandbox-clock");   // Honeybee's order stays Processing
        try {
            life.requestFill(rx);
            String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
            assertThat(life.orders().find(order).orElseThrow().status()).isEqualTo("Processing");

            OpsClient.Answer refused = ops.post("/orders/" + order + "/reorders", LOST);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().path("error").asText()).isEqualTo("order " + order + " is Processing: only a Shipped or Delivered"
                    + " order can be reordered (Honeybee re-sends a previously shipped order)");

            assertThat(ops.post("/orders/" + order + "/reorders", "{}").body().path("error").asText()).contains("reason is required");
            OpsClient.Answer badReason = ops.post("/orders/" + order + "/reorders", "{\"reason\": \"changed my mind\"}");
            assertThat(badReason.status()).isEqualTo(400);
            assertThat(badReason.body().path("error").asText()).isEqualTo("reason must be one of lost, damaged, other");
            assertThat(ops.post("/orders/" + order + "/reorders", "{\"reason\": \"lost\", \"qty\": 2}").body().path("error").asText())
                    .contains("unknown field 'qty'");
            assertThat(ops.post("/orders/" + order + "/reorders", "{\"reason\": \"lost\", \"note\": 7}").status()).isEqualTo(400);
            assertThat(ops.post("/orders/HB-NOPE/reorders", LOST).status()).isEqualTo(404);
            assertThat(bundle.sql().count("SELECT COUNT(*) FROM reorder_request")).isZero();

            // the sandbox answers Honeybee's 409 itself for an order that has not shipped
            HttpResponse<String> direct = sandboxPost("/sandbox/v1/orders/" + order + "/reorders", "{\"reason\": \"lost\"}");
            assertThat(direct.statusCode()).isEqualTo(409);
            assertThat(direct.body()).contains("\"error_code\":409").contains("only a shipped order can be reordered");
        } finally {
            bundle.context().getRouteController().startRoute("honeybee-sandbox-clock");
        }
    }

    @Test
    void honeybeeRefusingAReorderParksItAsADeadLetterWithTheReason() throws Exception {
        start();
        String original = deliveredOrder();
        bundle.context().getRouteController().stopRoute("honeybee-sandbox-clock");
        life.sandbox().setOrderStatus(original, "Processing");   // Honeybee does not consider it shipped

        assertThat(ops.post("/orders/" + original + "/reorders", LOST).status()).isEqualTo(201);
        Reorder dead = awaitReorder(original, FillStatus.DEAD);

        assertThat(dead.errorCode()).isEqualTo("409");
        assertThat(dead.lastError()).contains("409");
        assertThat(life.sandbox().reorderPosts()).as("posted once, then reconciled, not posted again").isEqualTo(1);
        JsonNode letters = ops.get("/dead-letters").body();
        assertThat(letters.toString()).contains("reorders").contains("Honeybee answered 409 to the reorder of order " + original);
        // a new request after the refusal is a new reorder (number 2)
        assertThat(ops.post("/orders/" + original + "/reorders", LOST).body().path("reorder_number").asInt()).isEqualTo(2);
    }

    @Test
    void aReorderWhoseWorkerDiedAfterItsPostIsReconciledAndPlacedOnce() {
        start();
        String original = deliveredOrder();
        assertThat(ops.post("/orders/" + original + "/reorders", "{\"reason\": \"damaged\"}").status()).isEqualTo(201);
        Reorder placed = awaitReorder(original, FillStatus.PLACED);
        String replacement = placed.newOrderNumber();

        // what a worker killed between POST /reorders and recording its answer leaves behind: the order exists at
        // Honeybee, the reorder is still pending under that worker's (now expired) claim
        Instant past = Instant.now().minusSeconds(1);
        assertThat(bundle.sql().update("UPDATE reorder_request SET status = 'PENDING', new_order_number = NULL, locked_by = 'dead-worker',"
                + " locked_until = ?, next_attempt_at = ? WHERE id = ?", past, past, placed.id())).isEqualTo(1);

        Reorder again = awaitReorder(original, FillStatus.PLACED);

        assertThat(again.id()).isEqualTo(placed.id());
        assertThat(again.newOrderNumber()).isEqualTo(replacement);
        assertThat(life.sandbox().reorderPosts()).as("no second POST /reorders").isEqualTo(1);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'GET' AND path = '/orders'")).isEqualTo(1);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM reorder_request")).isEqualTo(1);
    }

    @Test
    void theDirectEndpointTakesAMapBody() {
        start();
        String original = deliveredOrder();
        Object answer = bundle.context().createProducerTemplate().requestBodyAndHeaders("direct:honeybee-reorder",
                Map.of("reason", "other", "note", "patient moved"), Map.of("HoneybeeOrderNumber", original, "HoneybeeRequestedBy", "crm"));
        assertThat(answer).asString().contains("created=true");
        assertThat(awaitReorder(original, FillStatus.PLACED).requestedBy()).isEqualTo("crm");
    }

    private HttpResponse<String> sandboxPost(String path, String body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + bundle.port();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=test-client&client_secret=test-client-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String accessToken = new ObjectMapper().readTree(token.body()).path("access_token").asText();
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
