package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Health, readiness and the Prometheus metrics after a lifecycle, a duplicate and a refused webhook. */
class ObservabilityTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(RunningBundle bundle, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + bundle.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReadinessAndMetricsDescribeTheRunningBundle() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(Map.of())) {
            Lifecycle life = new Lifecycle(bundle);
            life.partnerPatient(HONEE);
            long rx = life.prescribe(HONEE);
            life.requestFill(rx);
            life.awaitOrderStatus(life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber(), "Delivered");
            byte[] event = RunningBundle.payload("rx-received.json");
            bundle.postSigned(event);
            bundle.postSigned(event);
            bundle.post(event, Map.of("Content-Type", "application/json"));

            HttpResponse<String> ready = get(bundle, "/observe/health/ready?data=true");
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode readiness = new ObjectMapper().readTree(ready.body());
            assertThat(readiness.path("status").asText()).isEqualTo("UP");
            JsonNode database = null;
            for (JsonNode check : readiness.path("checks")) {
                if (check.path("name").asText().equals("honeybee-database")) {
                    database = check;
                }
            }
            assertThat(database).as("database readiness check").isNotNull();
            assertThat(database.path("data").path("database").asText()).isEqualTo("reachable");
            assertThat(database.path("data").path("token_endpoint").asText()).isEqualTo("reachable");
            assertThat(get(bundle, "/observe/health/live").statusCode()).isEqualTo(200);

            String metrics = get(bundle, "/observe/metrics").body();
            assertThat(metrics).contains("honeybee_webhooks_received_total{outcome=\"accepted\"}")
                    .contains("honeybee_webhooks_received_total{outcome=\"duplicate\"}")
                    .contains("honeybee_webhooks_rejected_total{reason=\"unauthorized\"}")
                    .contains("honeybee_events_processed_total{event_type=\"RX_RECEIVED\",outcome=\"processed\"}")
                    .contains("honeybee_events_processed_total{event_type=\"SHIPMENT_UPDATED\",outcome=\"processed\"}")
                    .contains("honeybee_partner_api_calls_total{endpoint=\"POST /orders\",status=\"201\"}")
                    .contains("honeybee_partner_api_calls_total{endpoint=\"GET /patients/{patient_id}\",status=\"200\"}")
                    .contains("honeybee_outbox_backlog").contains("honeybee_dead_letters_open")
                    .contains("honeybee_event_processing_seconds_bucket{event_type=\"RX_UPDATED\"")
                    .doesNotContain("EHR-1001").doesNotContain("Honee");
        }
    }
}
