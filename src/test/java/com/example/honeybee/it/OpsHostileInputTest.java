package com.example.honeybee.it;

import static com.example.honeybee.it.JsonMutation.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.example.honeybee.inbox.InboxStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What operators see when senders misbehave (issue 12 item 8): events of unknown types are listed,
 * made-up types do not grow the metrics' label set, ids above 2^53 reach the page exactly, and broken
 * request bodies to the ops API answer 400, not 500.
 */
class OpsHostileInputTest {

    private static final String TOKEN = "ops-hostile-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private RunningBundle bundle;

    @BeforeEach
    void start() {
        bundle = RunningBundle.start(Map.of("honeybee.ops.token", TOKEN, "honeybee.sandbox.step-ms", "600000"));
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    @Test
    void aBodyNestedFiveThousandDeepOrFollowedByGarbageAnswers400() throws Exception {
        String deep = "{\"action\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        HttpResponse<String> answer = call("POST", "/exceptions/1/actions", deep);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(MAPPER.readTree(answer.body()).path("error").asText()).contains("deeper than the limit of 100 levels");

        assertThat(call("POST", "/exceptions/1/actions", "{\"action\":\"verified_by_partner\"} x").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/patient-reviews/1/resolve", "{\"partner_patient_id\":\"P-1\"}{}").statusCode()).isEqualTo(400);
    }

    @Test
    void eventsOfUnknownTypesAreListedForOperatorsNewestFirst() throws Exception {
        post("{\"event_id\":\"unk-1\",\"event_type\":\"PATIENT_UPDATED\",\"patient_id\":\"ay87nt\"}");
        post("{\"event_id\":\"unk-2\",\"event_type\":\"REFUND_ISSUED\"}");
        bundle.awaitStatus("unk-2", InboxStatus.UNKNOWN_TYPE);
        byte[] known = RunningBundle.payload("rx-received.json", "known-1");
        assertThat(bundle.postSigned(known).statusCode()).isEqualTo(200);
        bundle.awaitStatus("known-1", InboxStatus.PROCESSED);

        HttpResponse<String> answer = call("GET", "/unknown-events", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode events = MAPPER.readTree(answer.body());
        assertThat(events.findValuesAsText("event_id")).containsExactly("unk-2", "unk-1");
        assertThat(events.get(1).path("event_type").asText()).isEqualTo("PATIENT_UPDATED");
        assertThat(events.get(1).path("patient_id").asText()).isEqualTo("ay87nt");
        assertThat(events.get(1).path("received_at").asText()).isNotBlank();
    }

    @Test
    void idsAbove2To53AreSentAsExactStrings() throws Exception {
        // 2^53 + 1: a JavaScript number would read it as 9007199254740992
        byte[] exception = JsonMutation.set(RunningBundle.payload("order-exception.json", "big-id"), "exception.id", "9007199254740993");
        assertThat(bundle.postSigned(exception).statusCode()).isEqualTo(200);
        byte[] rx = JsonMutation.set(JsonMutation.set(RunningBundle.payload("rx-received.json", "big-rx"),
                "medication_requests[0].id", "9007199254740993"), "medication_requests[0].prescription_id", "9007199254740993");
        assertThat(bundle.postSigned(rx).statusCode()).isEqualTo(200);
        bundle.awaitStatus("big-id", InboxStatus.PROCESSED);
        bundle.awaitStatus("big-rx", InboxStatus.PROCESSED);

        JsonNode open = MAPPER.readTree(call("GET", "/exceptions", null).body());

        assertThat(open.get(0).path("exception_id").isTextual()).isTrue();
        assertThat(open.get(0).path("exception_id").asText()).isEqualTo("9007199254740993");
        JsonNode prescriptions = MAPPER.readTree(call("GET", "/prescriptions", null).body());
        assertThat(prescriptions.get(0).path("prescription_id").asText()).isEqualTo("9007199254740993");
        assertThat(prescriptions.get(0).path("refills_left").isInt()).as("32-bit numbers stay numbers").isTrue();
        assertThat(call("GET", "/orders/9D84N", null).body()).contains("\"exception_id\":\"9007199254740993\"");
    }

    @Test
    void madeUpEventTypesShareOneMetricLabel() throws Exception {
        for (int i = 0; i < 30; i++) {
            post("{\"event_id\":\"label-" + i + "\",\"event_type\":\"MADE_UP_" + i + "\",\"patient_id\":\"p\"}");
        }
        assertThat(bundle.postSigned(JsonMutation.set(RunningBundle.payload("rx-received.json", "lower-1"), "event_type",
                string("rx_received"))).statusCode()).isEqualTo(200);
        bundle.awaitStatus("label-29", InboxStatus.UNKNOWN_TYPE);
        bundle.awaitStatus("lower-1", InboxStatus.PROCESSED);

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + bundle.port() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        Matcher labels = Pattern.compile("honeybee_events_processed_total\\{[^}]*event_type=\"([^\"]*)\"").matcher(metrics);
        var seen = labels.results().map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(seen).containsExactlyInAnyOrder("other", "RX_RECEIVED");
        assertThat(metrics).containsPattern("honeybee_events_processed_total\\{[^}]*event_type=\"other\"[^}]*\\} 30\\.0");
    }

    private void post(String json) {
        assertThat(bundle.postSigned(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + bundle.port() + "/api" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
