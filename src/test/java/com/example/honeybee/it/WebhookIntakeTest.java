package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.webhook.SignatureVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The webhook endpoint over real HTTP: what it accepts, what it refuses and with which answer. */
class WebhookIntakeTest {

    private static RunningBundle bundle;

    @BeforeAll
    static void start() {
        bundle = RunningBundle.start(Map.of());
    }

    @AfterAll
    static void stop() {
        bundle.close();
    }

    @Test
    void correctlySignedEventIsAcknowledgedAndStoredByteForByte() {
        byte[] body = payload("rx-received.json", "intake-" + UUID.randomUUID());
        HttpResponse<String> response = bundle.postSigned(body);

        assertThat(response.statusCode()).isEqualTo(200);
        String eventId = eventIdOf(body);
        assertThat(response.body()).isEqualTo("{\"status\":\"accepted\",\"event_id\":\"" + eventId + "\"}");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Honeybee-Signature"));
        byte[] stored = bundle.sql().queryOne("SELECT body FROM inbox WHERE event_id = ?", row -> row.getBytes(1), eventId).orElseThrow();
        assertThat(stored).isEqualTo(body);
    }

    @Test
    void signatureUnderTheSecondSecretIsAcceptedDuringRotation() {
        byte[] body = payload("rx-received.json", "rotation-" + UUID.randomUUID());
        String signature = SignatureVerifier.sign(RunningBundle.ROTATED_SECRET, "POST", bundle.webhookUrl(), body);
        assertThat(bundle.post(body, json("X-Honeybee-Signature", signature)).statusCode()).isEqualTo(200);
    }

    @Test
    void tamperedBodyIsRejectedWith401AndNotStored() {
        byte[] signed = payload("rx-received.json", "tampered-" + UUID.randomUUID());
        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("\"refills_left\": 11", "\"refills_left\": 99")
                .getBytes(StandardCharsets.UTF_8);
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), signed);

        HttpResponse<String> response = bundle.post(tampered, json("X-Honeybee-Signature", signature));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("X-Honeybee-Signature does not match");
        assertThat(isStored(eventIdOf(signed))).isFalse();
    }

    @Test
    void signatureForAnotherUrlIsRejectedWith401() {
        byte[] body = payload("rx-received.json", "wrong-url-" + UUID.randomUUID());
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", "https://elsewhere.example/webhooks/honeybee", body);
        assertThat(bundle.post(body, json("X-Honeybee-Signature", signature)).statusCode()).isEqualTo(401);
        assertThat(isStored(eventIdOf(body))).isFalse();
    }

    @Test
    void signatureUnderAnUnknownSecretIsRejectedWith401() {
        byte[] body = payload("rx-received.json", "wrong-secret-" + UUID.randomUUID());
        String signature = SignatureVerifier.sign("not-our-secret", "POST", bundle.webhookUrl(), body);
        assertThat(bundle.post(body, json("X-Honeybee-Signature", signature)).statusCode()).isEqualTo(401);
        assertThat(isStored(eventIdOf(body))).isFalse();
    }

    @Test
    void missingSignatureIsRejectedWith401() {
        byte[] body = payload("rx-received.json", "unsigned-" + UUID.randomUUID());
        HttpResponse<String> response = bundle.post(body, Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("missing X-Honeybee-Signature");
    }

    @Test
    void malformedJsonIsRejectedWith400NamingTheProblem() {
        HttpResponse<String> response = bundle.postSigned("{\"event_id\": \"x\", ".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not valid JSON");
    }

    @Test
    void eventWithoutEventIdOrTypeIsRejectedWith400() {
        HttpResponse<String> noId = bundle.postSigned("{\"event_type\":\"RX_RECEIVED\"}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> noType = bundle.postSigned("{\"event_id\":\"e-1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(noId.body()).contains("event_id is required");
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(noType.body()).contains("event_type is required");
    }

    @Test
    void knownEventWithWrongShapeIsRejectedWith400NamingTheField() {
        String body = "{\"event_id\":\"shape-1\",\"event_type\":\"RX_RECEIVED\",\"patient_id\":\"p1\","
                + "\"medication_requests\":[{\"id\":\"not-a-number\"}]}";
        HttpResponse<String> response = bundle.postSigned(body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("medication_requests[0].id");
    }

    @Test
    void bodyOverTheLimitIsRejectedWith413() {
        byte[] body = new byte[1_048_577];
        Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = bundle.postSigned(body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("limit is 1048576");
    }

    @Test
    void nonJsonContentTypeIsRejectedWith415() {
        byte[] body = payload("rx-received.json", "text-" + UUID.randomUUID());
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body);
        HttpResponse<String> response = bundle.post(body, Map.of("Content-Type", "text/plain", "X-Honeybee-Signature", signature));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("application/json");
    }

    @Test
    void jsonWithCharsetParameterIsAccepted() {
        byte[] body = payload("rx-received.json", "charset-" + UUID.randomUUID());
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body);
        assertThat(bundle.post(body, Map.of("Content-Type", "application/json; charset=utf-8", "X-Honeybee-Signature", signature))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void repeatedEventIdWithTheSameBodyIsADuplicate() {
        byte[] body = payload("rx-received.json", "dup-" + UUID.randomUUID());
        assertThat(bundle.postSigned(body).body()).contains("\"accepted\"");
        HttpResponse<String> again = bundle.postSigned(body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\"").doesNotContain("conflict");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = ?", eventIdOf(body))).isEqualTo(1);
    }

    @Test
    void repeatedEventIdWithADifferentBodyIsKeptForAuditAndFlaggedNotProcessedTwice() {
        String eventId = "conflict-" + UUID.randomUUID();
        byte[] first = payload("rx-received.json", eventId);
        byte[] second = new String(first, StandardCharsets.UTF_8).replace("\"refills_left\": 11", "\"refills_left\": 3")
                .getBytes(StandardCharsets.UTF_8);
        bundle.postSigned(first);

        HttpResponse<String> response = bundle.postSigned(second);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"duplicate\"").contains("conflict");
        byte[] audited = bundle.sql().queryOne("SELECT body FROM inbox_conflict WHERE event_id = ?", row -> row.getBytes(1), eventId).orElseThrow();
        assertThat(audited).isEqualTo(second);
        assertThat(bundle.sql().count("SELECT conflict_count FROM inbox WHERE event_id = ?", eventId)).isEqualTo(1);
        byte[] kept = bundle.sql().queryOne("SELECT body FROM inbox WHERE event_id = ?", row -> row.getBytes(1), eventId).orElseThrow();
        assertThat(kept).isEqualTo(first);
    }

    @Test
    void unknownEventTypeIsAcknowledgedStoredAndFlagged() {
        String eventId = "unknown-" + UUID.randomUUID();
        byte[] body = ("{\"event_id\":\"" + eventId + "\",\"event_type\":\"PATIENT_MERGED\",\"patient_id\":\"ay87nt\"}")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = bundle.postSigned(body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"accepted\"");
        bundle.awaitStatus(eventId, InboxStatus.UNKNOWN_TYPE);
    }

    private static Map<String, String> json(String header, String value) {
        return Map.of("Content-Type", "application/json", header, value);
    }

    private static boolean isStored(String eventId) {
        return bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = ?", eventId) > 0;
    }

    static String eventIdOf(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8);
        int start = json.indexOf("\"event_id\": \"") + "\"event_id\": \"".length();
        return json.substring(start, json.indexOf('"', start));
    }
}
