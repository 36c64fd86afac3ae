package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.record.Prescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's parity with Honeybee's reference over real HTTP: 409 for an identical order in flight (and the
 * bundle treating it as already in flight), GET /v1/orders/{order_number}, and POST /v1/simulate answering 202
 * with the webhook following.
 */
class SandboxParityTest extends SandboxBundleTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void anIdenticalOrderInFlightIsAnswered409AndTheBundleAdoptsTheOrderInsteadOfPlacingASecond() throws Exception {
        start(Map.of("honeybee.sandbox.duplicate-window-ms", "60000"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        // the order stays Processing (in flight) while the bundle posts
        bundle.context().getRouteController().stopRoute("honeybee-sandbox-clock");
        SandboxHttp api = new SandboxHttp(bundle.port());
        String order = "{\"patient\": {\"patient_id\": \"EHR-1001\", \"patient_safety\": {\"medications\": [], \"health_conditions\": [],"
                + " \"allergies\": []}}, \"items\": [{\"prescription_id\": " + rx + "}], \"shipping\": {\"method_id\": 1},"
                + " \"address\": {\"first_name\": \"Honee\", \"last_name\": \"Bea\", \"street1\": \"123 Main St\", \"city\": \"Austin\","
                + " \"state\": \"TX\", \"zip\": \"78701\"}}";
        SandboxHttp.Answer created = api.post("/orders", order);
        assertThat(created.status()).isEqualTo(201);
        String number = created.body().path("order").path("order_number").asText();

        SandboxHttp.Answer duplicate = api.post("/orders", order);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body()).isEqualTo(mapper.readTree("{\"error\": {\"error_code\": 409, \"message\": \"Your request is"
                + " conflicting with another recent request. Please make sure this request is not a duplicate and resend.\"}}"));

        life.requestFill(rx);
        Fill fill = life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(fill.orderNumber()).as("the order in flight, found with GET /orders").isEqualTo(number);
        assertThat(life.sandbox().orderCount()).isEqualTo(1);
        assertThat(life.sandbox().orderBodiesReceived()).hasSize(3);
    }

    @Test
    void getOrderAnswersTheOrderOr404() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String number = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        SandboxHttp api = new SandboxHttp(bundle.port());

        SandboxHttp.Answer found = api.get("/orders/" + number);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().path("order").path("order_number").asText()).isEqualTo(number);
        assertThat(found.body().path("order").path("order_status").asText()).isIn("Processing", "Filling", "Shipped", "Delivered");
        assertThat(found.body().path("order").path("items").get(0).path("prescription_id").asLong()).isEqualTo(rx);
        assertThat(api.get("/orders/HB-NO-SUCH").status()).isEqualTo(404);
    }

    @Test
    void simulateAnswers202AndTheRxReceivedWebhookFollows() {
        start(Map.of());
        SandboxHttp api = new SandboxHttp(bundle.port());
        // the reference's body: simulation_type "event", an RX_RECEIVED with one medication request
        String simulation = "{\"simulation_type\": \"event\", \"simulation\": {\"event_type\": \"RX_RECEIVED\", \"medication_requests\": ["
                + "{\"prescriber_name\": \"Dr. Jane Foster\", \"drug_name\": \"ATORVASTATIN 10MG TABLET\", \"ndc\": \"5976201551\","
                + " \"sig_text\": \"Take 1 tablet daily\", \"written_qty\": 90, \"refills_left\": 2,"
                + " \"expire_date\": \"2031-06-12T14:15:22Z\", \"drug_schedule\": 4}]}}";

        SandboxHttp.Answer accepted = api.post("/simulate", simulation);

        assertThat(accepted.status()).isEqualTo(202);
        long rx = accepted.body().path("simulation").path("prescription_ids").get(0).asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> life.prescriptions().find(rx).isPresent());
        Prescription recorded = life.prescriptions().find(rx).orElseThrow();
        assertThat(recorded.drugSchedule()).isEqualTo("4");
        assertThat(recorded.refillsLeft()).isEqualTo(2);
        assertThat(recorded.patientId()).isEqualTo(accepted.body().path("simulation").path("patient_id").asText());

        SandboxHttp.Answer wrongType = api.post("/simulate", "{\"simulation_type\": \"order\", \"simulation\": {}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(field(wrongType.body())).isEqualTo("simulation_type");
        SandboxHttp.Answer noRequests = api.post("/simulate", "{\"simulation_type\": \"event\", \"simulation\": {\"event_type\": \"RX_RECEIVED\"}}");
        assertThat(noRequests.status()).isEqualTo(400);
        assertThat(field(noRequests.body())).isEqualTo("simulation.medication_requests");
    }

    private static String field(JsonNode error) {
        return error.path("errors").get(0).path("error_detail").get(0).path("field").asText();
    }
}
