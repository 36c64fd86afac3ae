package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.patients.PartnerPatient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops API over HTTP: its token, its answers to mistakes, and each action. */
class OpsApiTest {

    private static final String TOKEN = "ops-test-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private RunningBundle bundle;
    private Lifecycle life;

    record Answer(int status, JsonNode body) {
    }

    @BeforeEach
    void start() {
        bundle = RunningBundle.start(Map.of("honeybee.ops.token", TOKEN, "honeybee.sandbox.exception-on-order", "1"));
        life = new Lifecycle(bundle);
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    private Answer call(String method, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + bundle.port() + "/api" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = mapper.readTree(response.body());
        assertSnakeCase(method + " " + path, answer);
        return new Answer(response.statusCode(), answer);
    }

    /** Every member name of every answer is snake_case, as in Honeybee's API: lower case, digits and underscores. */
    private static void assertSnakeCase(String call, JsonNode node) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> assertThat(name).as("a member name in the answer to %s", call).matches("[a-z][a-z0-9_]*"));
        }
        node.elements().forEachRemaining(child -> assertSnakeCase(call, child));
    }

    private Answer call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, TOKEN);
    }

    @Test
    void everyCallNeedsTheToken() throws Exception {
        assertThat(call("GET", "/orders", null, null).status()).isEqualTo(401);
        Answer wrong = call("GET", "/exceptions", null, "not-the-token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().path("error").asText()).contains("bearer token");
        assertThat(call("POST", "/prescriptions/1/fills", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/orders", null).status()).isEqualTo(200);
    }

    @Test
    void mistakesAnswer4xxWithAMessage() throws Exception {
        long rx = life.prescribe(HONEE);
        assertThat(call("POST", "/prescriptions/abc/fills", null).status()).isEqualTo(400);
        assertThat(call("POST", "/prescriptions/424242/fills", null)).satisfies(a -> {
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.body().path("error").asText()).isEqualTo("prescription 424242 is not known");
        });
        assertThat(call("GET", "/orders/NOPE", null).status()).isEqualTo(404);
        assertThat(call("POST", "/exceptions/1/actions", "{not json").status()).isEqualTo(400);
        assertThat(call("POST", "/exceptions/1/actions", "{}").status()).isEqualTo(400);
        assertThat(call("POST", "/exceptions/999/actions", "{\"action\":\"verified_by_partner\"}").status()).isEqualTo(404);
        assertThat(call("POST", "/patient-reviews/5/resolve", "{}").status()).isEqualTo(400);
        assertThat(call("POST", "/patient-reviews/5/resolve", "{\"partner_patient_id\":\"P-1\"}").status()).isEqualTo(404);
        assertThat(call("POST", "/dead-letters/77/replay", null).status()).isEqualTo(404);

        bundle.context().getRouteController().stopRoute("honeybee-order-outbox");
        assertThat(call("POST", "/prescriptions/" + rx + "/fills", null).status()).isEqualTo(201);
        Answer again = call("POST", "/prescriptions/" + rx + "/fills", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("error").asText()).contains("still pending");
    }

    @Test
    void approveFillThenAnswerTheExceptionAndReadTheOrderTimeline() throws Exception {
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        assertThat(call("GET", "/prescriptions?status=awaiting_approval", null).body()).hasSize(1);

        Answer approved = call("POST", "/prescriptions/" + rx + "/fills", null);
        assertThat(approved.status()).isEqualTo(201);
        assertThat(approved.body().path("fill_number").asInt()).isEqualTo(1);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");

        JsonNode open = call("GET", "/exceptions", null).body();
        assertThat(open).hasSize(1);
        long exceptionId = open.get(0).path("exception_id").asLong();
        assertThat(open.get(0).path("actions").findValuesAsText("event_key")).containsExactly("cancel_by_partner", "verified_by_partner");
        Answer notOffered = call("POST", "/exceptions/" + exceptionId + "/actions", "{\"action\":\"put_on_hold_by_partner\"}");
        assertThat(notOffered.status()).isEqualTo(422);
        assertThat(call("POST", "/exceptions/" + exceptionId + "/actions", "{\"action\":\"verified_by_partner\"}").status()).isEqualTo(201);
        assertThat(life.sandbox().actionRequests()).extracting(Object::toString).containsExactly("{\"event\":\"VERIFIED_BY_PARTNER\"}");
        assertThat(call("POST", "/exceptions/" + exceptionId + "/actions", "{\"action\":\"verified_by_partner\"}").status()).isEqualTo(409);

        life.awaitOrderStatus(order, "Delivered");
        JsonNode detail = call("GET", "/orders/" + order, null).body();
        assertThat(detail.path("status_history").findValuesAsText("status")).containsSubsequence("Processing", "On Hold", "Filling", "Shipped", "Delivered");
        assertThat(detail.path("shipment").path("carrier").asText()).isEqualTo("FedEx");
        assertThat(detail.path("tracking").findValuesAsText("event_code")).containsExactly("PU", "IT", "DL");
        assertThat(detail.toString()).doesNotContain("Honee").doesNotContain("123 Main St");
    }

    @Test
    void anExpiredOrInactivePrescriptionIsNotAwaitingApproval() throws Exception {
        life.partnerPatient(HONEE);
        long current = life.prescribe(HONEE);
        // the integration guide's sample RX_RECEIVED: prescription 183601, expire_date 2025-03-13T17:00:00.000-07:00
        assertThat(bundle.postSigned(RunningBundle.payload("rx-received.json", "ops-expired")).statusCode()).isEqualTo(200);
        byte[] inactive = JsonMutation.set(RunningBundle.payload("rx-received.json", "ops-inactive"), "medication_requests[0].active", "false");
        inactive = JsonMutation.set(inactive, "medication_requests[0].prescription_id", "183602");
        inactive = JsonMutation.set(inactive, "medication_requests[0].id", "183602");
        inactive = JsonMutation.set(inactive, "medication_requests[0].expire_date", "\"2099-01-01T00:00:00Z\"");
        assertThat(bundle.postSigned(inactive).statusCode()).isEqualTo(200);
        bundle.awaitStatus("ops-expired", com.example.honeybee.inbox.InboxStatus.PROCESSED);
        bundle.awaitStatus("ops-inactive", com.example.honeybee.inbox.InboxStatus.PROCESSED);

        assertThat(call("GET", "/prescriptions?status=awaiting_approval", null).body().findValuesAsText("prescription_id"))
                .containsExactly(String.valueOf(current));
        JsonNode all = call("GET", "/prescriptions", null).body();
        assertThat(all).extracting(p -> p.path("prescription_id").asText() + "=" + p.path("state").asText())
                .containsExactly("183601=expired", "183602=inactive", current + "=awaiting_approval");
        assertThat(call("GET", "/prescriptions?status=expired,inactive", null).body().findValuesAsText("prescription_id"))
                .containsExactly("183601", "183602");
        Answer approve = call("POST", "/prescriptions/183601/fills", null);
        assertThat(approve.status()).isEqualTo(422);
        assertThat(approve.body().path("error").asText()).contains("expired");
        assertThat(call("POST", "/prescriptions/183602/fills", null).status()).isEqualTo(422);
    }

    @Test
    void everyListAnswersInSnakeCaseWithIsoTimestamps() throws Exception {
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        assertThat(bundle.postSigned("{\"event_id\":\"ops-unknown\",\"event_type\":\"PATIENT_UPDATED\",\"patient_id\":\"ay87nt\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        bundle.awaitStatus("ops-unknown", com.example.honeybee.inbox.InboxStatus.UNKNOWN_TYPE);

        Answer approved = call("POST", "/prescriptions/" + rx + "/fills", null);
        assertThat(approved.body().path("prescription_id").asText()).isEqualTo(String.valueOf(rx));
        assertThat(approved.body().path("honeybee_patient_id").isTextual()).isTrue();
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");
        // call() checks every member name; these are the answers not read by the other tests
        for (String list : new String[] {"/prescriptions", "/orders", "/exceptions", "/patient-reviews", "/dead-letters",
                "/refill-reminders", "/unknown-events", "/partner-api", "/orders/" + order}) {
            assertThat(call("GET", list, null).status()).as(list).isEqualTo(200);
        }
        JsonNode unknown = call("GET", "/unknown-events", null).body().get(0);
        assertThat(unknown.path("received_at").asText()).as("an ISO-8601 instant in UTC").matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z");
    }

    @Test
    void resolvingAReviewLinksThePatientAndReleasesTheFill() throws Exception {
        PartnerPatient unknownToMatching = new PartnerPatient("P-5005", null, "someone.else@example.com", "Some", "One",
                LocalDate.of(1977, 5, 5), "5555555555", "5 Fifth St", null, "Austin", "TX", "78701", true);
        life.partnerPatient(unknownToMatching);
        long rx = life.prescribe(HONEE, false, 2, null);
        call("POST", "/prescriptions/" + rx + "/fills", null);
        life.awaitFill(rx, 1, FillStatus.NEEDS_REVIEW);
        JsonNode reviews = call("GET", "/patient-reviews", null).body();
        assertThat(reviews).hasSize(1);

        Answer resolved = call("POST", "/patient-reviews/" + reviews.get(0).path("id").asLong() + "/resolve", "{\"partner_patient_id\":\"P-5005\"}");

        assertThat(resolved.status()).isEqualTo(201);
        assertThat(resolved.body().path("fills_requeued").asInt()).isEqualTo(1);
        life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(call("GET", "/patient-reviews", null).body()).isEmpty();
        assertThat(life.sandbox().orderRequests().get(0).path("address").path("street1").asText()).isEqualTo("5 Fifth St");
    }

    @Test
    void aDeadLetterIsListedAndReplayed() throws Exception {
        PartnerPatient badZip = new PartnerPatient("P-8", "EHR-8", "eight@example.com", "Ei", "Ght", LocalDate.of(1988, 8, 8),
                "5550000008", "8 Eighth St", null, "Austin", "TX", "ABCDE", true);
        life.partnerPatient(badZip);
        long rx = life.prescribe(badZip);
        call("POST", "/prescriptions/" + rx + "/fills", null);
        life.awaitFill(rx, 1, FillStatus.DEAD);
        JsonNode letters = call("GET", "/dead-letters", null).body();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).path("error_code").asText()).isEqualTo("42227");

        // the partner fixes the record, then replays
        life.partnerPatient(new PartnerPatient("P-8", "EHR-8", "eight@example.com", "Ei", "Ght", LocalDate.of(1988, 8, 8),
                "5550000008", "8 Eighth St", null, "Austin", "TX", "78701", true));
        assertThat(call("POST", "/dead-letters/" + letters.get(0).path("id").asLong() + "/replay", null).status()).isEqualTo(201);

        life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(call("GET", "/dead-letters", null).body()).isEmpty();
        assertThat(call("POST", "/dead-letters/" + letters.get(0).path("id").asLong() + "/replay", null).status()).isEqualTo(409);
    }
}
