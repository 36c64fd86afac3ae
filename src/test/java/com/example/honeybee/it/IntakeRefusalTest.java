package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.webhook.SignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Refusals that name their real cause, found by an attacker on the built jar: a form or multipart POST is a 415
 * naming its type (it was "request body is empty"), JSON beyond the bundle's stated parsing limits names the limit
 * (it was "not valid JSON (error at unknown position)"), a body that is not UTF-8 or declares another charset is
 * refused (it was processed), and an event's arrays are capped so its processing cost is bounded (one RX_UPDATED
 * with 20,000 dispenses took 53 s and wrote 20,000 log lines). Every request here is signed unless said otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeRefusalTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "intake-refusal-ops-token";
    private RunningBundle bundle;
    private int sequence;

    @BeforeAll
    void start() {
        bundle = RunningBundle.start(Map.of("honeybee.sandbox.step-ms", "600000", "honeybee.ops.token", TOKEN));
    }

    @AfterAll
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void everyRefusalNamesItsRealCause() throws Exception {
        assertRefused(send("a=b&event_id=x".getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded"),
                415, "Content-Type must be application/json, was 'application/x-www-form-urlencoded'");
        byte[] multipart = ("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertRefused(send(multipart, "multipart/form-data; boundary=b"), 415, "Content-Type must be application/json, was 'multipart/form-data");

        String longNumber = new String(bytes(event("rx-received.json")), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"extra\":" + "1".repeat(2000) + ",");
        assertRefused(bundle.postSigned(longNumber.getBytes(StandardCharsets.UTF_8)), 400, "the body has a number longer than the limit of 1000 characters");
        String deep = "[".repeat(1100) + "]".repeat(1100);
        String nested = new String(bytes(event("rx-received.json")), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"extra\":" + deep + ",");
        assertRefused(bundle.postSigned(nested.getBytes(StandardCharsets.UTF_8)), 400,
                "the body nests objects and arrays deeper than the limit of 100 levels");

        // the ops API's bodies are parsed under the same limits, and say so
        assertOpsRefused("{\"action\":" + deep + "}", "the request body nests objects and arrays deeper than the limit of 100 levels");
        assertOpsRefused("{\"action\":\"verified_by_partner\",\"n\":" + "9".repeat(2000) + "}",
                "the request body has a number longer than the limit of 1000 characters");
    }

    @Test
    void aBodyThatIsNotUtf8OrDeclaresAnotherCharsetIsRefused() throws Exception {
        String json = new String(bytes(event("rx-received.json")), StandardCharsets.UTF_8);
        assertRefused(send(json.getBytes(StandardCharsets.ISO_8859_1), "application/json; charset=iso-8859-1"), 415,
                "Content-Type declares charset 'iso-8859-1'; a webhook body must be UTF-8");
        assertRefused(bundle.postSigned(json.getBytes(StandardCharsets.UTF_16LE)), 400, "the body is not UTF-8: it has a zero byte at offset 1");
        assertRefused(bundle.postSigned(json.getBytes(StandardCharsets.UTF_16)), 400, "the body is not UTF-8: it has a zero byte at offset 2");
        assertRefused(bundle.postSigned(json.getBytes(Charset.forName("UTF-32"))), 400, "the body is not UTF-8: it has a zero byte at offset 0");
        // overlong '/' (C0 AF) and an encoded surrogate (ED A0 80) in a field the bundle does not read
        for (byte[] sequence : new byte[][] {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
            byte[] body = withUnreadField(json, sequence);
            assertRefused(bundle.postSigned(body), 400, "the body is not well-formed UTF-8: an invalid byte sequence at offset " + (json.indexOf('{') + 10));
        }

        HttpResponse<String> declaredUtf8 = send(bytes(event("rx-received.json")), "application/json; charset=UTF-8");
        assertThat(declaredUtf8.statusCode()).as(declaredUtf8.body()).isEqualTo(200);
    }

    @Test
    void anEventsArraysAreCappedAndItGetsOneLogLine() throws Exception {
        assertRefused(bundle.postSigned(bytes(dispenses(101))), 400, "medication_requests[0].medication_dispenses has 101 elements; the limit is 100");
        ObjectNode requests = event("rx-received.json");
        ArrayNode many = MAPPER.createArrayNode();
        for (int i = 0; i < 51; i++) {
            many.add(requests.get("medication_requests").get(0).deepCopy());
        }
        requests.set("medication_requests", many);
        assertRefused(bundle.postSigned(bytes(requests)), 400, "medication_requests has 51 elements; the limit is 50");
        ObjectNode scans = event("shipment-updated.json");
        ArrayNode updates = (ArrayNode) scans.at("/medication_requests/0/medication_dispenses/0/shipment/shipment_updates");
        JsonNode scan = updates.get(0);
        for (int i = updates.size(); i < 201; i++) {
            updates.add(scan.deepCopy());
        }
        assertRefused(bundle.postSigned(bytes(scans)), 400,
                "medication_requests[0].medication_dispenses[0].shipment.shipment_updates has 201 elements; the limit is 200");
        ObjectNode exception = event("order-exception.json");
        ArrayNode actions = (ArrayNode) exception.at("/exception/order_actions");
        for (int i = actions.size(); i < 51; i++) {
            actions.add(actions.get(0).deepCopy());
        }
        assertRefused(bundle.postSigned(bytes(exception)), 400, "exception.order_actions has 51 elements; the limit is 50");
        // each array within its cap, 20 x 60 dispenses together over the event's
        ObjectNode total = dispenses(60);
        ArrayNode twenty = MAPPER.createArrayNode();
        for (int i = 0; i < 20; i++) {
            twenty.add(total.get("medication_requests").get(0).deepCopy());
        }
        total.set("medication_requests", twenty);
        assertRefused(bundle.postSigned(bytes(total)), 400, "the event carries 1220 array elements in all");

        try (LogCapture log = LogCapture.attach()) {
            ObjectNode atTheCap = dispenses(100);
            String eventId = atTheCap.get("event_id").asText();
            HttpResponse<String> answer = bundle.postSigned(bytes(atTheCap));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            bundle.awaitStatus(eventId, InboxStatus.PROCESSED);
            assertThat(log.text().lines().filter(line -> line.contains(eventId)))
                    .containsExactly("webhook ACCEPTED: event_id=" + eventId + " type=RX_UPDATED",
                            "RX_UPDATED recorded: event_id=" + eventId + " medication_dispenses=100 medication_requests=1");
        }
    }

    private ObjectNode event(String fixture) throws Exception {
        return (ObjectNode) MAPPER.readTree(RunningBundle.payload(fixture, "refusal-" + (++sequence) + "-" + System.nanoTime()));
    }

    /** An RX_UPDATED whose one request carries {@code count} dispenses, each its own order. */
    private ObjectNode dispenses(int count) throws Exception {
        ObjectNode update = event("rx-updated.json");
        ArrayNode dispenses = (ArrayNode) update.at("/medication_requests/0/medication_dispenses");
        JsonNode first = dispenses.get(0);
        dispenses.removeAll();
        for (int i = 0; i < count; i++) {
            dispenses.add(((ObjectNode) first.deepCopy()).put("order_number", "CAP" + sequence + "N" + i));
        }
        return update;
    }

    /** The JSON text with {@code "extra":"<bytes>",} as its first member, the bytes raw. */
    private static byte[] withUnreadField(String json, byte[] raw) {
        int brace = json.indexOf('{');
        byte[] head = (json.substring(0, brace + 1) + "\"extra\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\"," + json.substring(brace + 1)).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(raw, 0, body, head.length, raw.length);
        System.arraycopy(tail, 0, body, head.length + raw.length, tail.length);
        return body;
    }

    private HttpResponse<String> send(byte[] body, String contentType) {
        return bundle.post(body, Map.of("Content-Type", contentType,
                "X-Honeybee-Signature", SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body)));
    }

    private void assertOpsRefused(String body, String error) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + bundle.port() + "/api/exceptions/1/actions")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(MAPPER.readTree(answer.body()).path("error").asText()).startsWith(error);
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String error) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(MAPPER.readTree(answer.body()).path("error").asText()).startsWith(error);
    }

    private static byte[] bytes(JsonNode json) throws Exception {
        return MAPPER.writeValueAsBytes(json);
    }
}
