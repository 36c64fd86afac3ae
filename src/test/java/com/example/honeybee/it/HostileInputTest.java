package com.example.honeybee.it;

import static com.example.honeybee.it.JsonMutation.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.example.honeybee.inbox.InboxStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile inputs issue 12 reproduced on the built jar, each answered now: refused with a 400 that
 * names the field by its path and stores nothing, or stored and processed. Before the field catalogue
 * each of the refused ones got a 200 and then failed every retry into a dead letter (or, for NUL in an
 * id on PostgreSQL, a 503 on every delivery). Expected paths and stored values are written out here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AtomicInteger sequence = new AtomicInteger();
    private RunningBundle bundle;

    @BeforeAll
    void start() {
        bundle = startBundle();
    }

    /** The bundle under test; the PostgreSQL variant starts it on PostgreSQL. */
    protected RunningBundle startBundle() {
        return RunningBundle.start(Map.of("honeybee.sandbox.step-ms", "600000"));
    }

    @AfterAll
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    static Stream<Arguments> refused() {
        String rx = "rx-received.json";
        String upd = "rx-updated.json";
        String ship = "shipment-updated.json";
        String dispense = "medication_requests[0].medication_dispenses[0].";
        return Stream.of(
                Arguments.of(rx, "medication_requests[0].refills_left", "3000000000"),
                Arguments.of(rx, "medication_requests[0].refills_left", "-1"),
                Arguments.of(upd, "medication_requests[0].refills_left", "-1"),
                Arguments.of(rx, "medication_requests[0].written_qty", "1e400"),
                Arguments.of(rx, "medication_requests[0].written_qty", "12345678901"),
                Arguments.of(rx, "medication_requests[0].ndc", string("1".repeat(21))),
                Arguments.of(rx, "medication_requests[0].drug_name", string("D".repeat(301))),
                Arguments.of(rx, "medication_requests[0].sig_text", string("S".repeat(3000))),
                Arguments.of(rx, "medication_requests[0].drug_schedule", string("Schedule IV")),
                Arguments.of(rx, "medication_requests[0].drug_name", string("ESTRADIOL\u0000 1MG")),
                Arguments.of(rx, "medication_requests[0].active", string("no")),
                Arguments.of(upd, dispense + "order_number", string("N".repeat(150))),
                Arguments.of(upd, dispense + "strength", string("1".repeat(101))),
                Arguments.of(ship, dispense + "shipment.tracking_url", string("https://t.example/" + "u".repeat(2048))),
                Arguments.of(ship, dispense + "shipment.carrier", string("C".repeat(101))),
                Arguments.of(ship, dispense + "shipment.shipment_updates[0].description", string("d".repeat(301))),
                Arguments.of(ship, dispense + "shipment.latest_shipment_update.occurred_at", string("+10000-01-01T00:00:00Z")),
                // PostgreSQL refuses offsets beyond ±15:59 (found by FieldBoundaryTest)
                Arguments.of(rx, "medication_requests[0].expire_date", string("2099-03-13T17:00:00+18:00")),
                Arguments.of("order-exception.json", "exception.message", string("m".repeat(2001))),
                Arguments.of("order-exception.json", "exception.order_actions[0].action", string("a\u0000")),
                // log injection: identifiers with control characters
                Arguments.of(rx, "event_id", string("evt-1\r\n2026-11-30 INFO forged line")),
                Arguments.of(rx, "patient_id", string("ay87nt\nforged")),
                Arguments.of(upd, dispense + "order_number", string("XQ05\u001b[31mO2A")),
                Arguments.of(ship, dispense + "shipment.shipment_updates[0].event_code", string("IT\u2028")),
                Arguments.of("order-exception.json", "exception.order_actions[0].event_key", string("verified_by_partner\r")),
                // PostgreSQL cannot store U+0000 in text: these answered 503 on every delivery
                Arguments.of(rx, "event_id", string("evt\u0000")),
                Arguments.of(rx, "event_type", string("RX_RECEIVED\u0000")),
                Arguments.of(rx, "patient_id", string("ay\u0000")),
                Arguments.of(rx, "medication_requests[0].prescriber_name", string("Jane \ud800Smith")));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("refused")
    void refusedWith400NamingTheFieldAndNothingStored(String fixture, String path, String literal) throws Exception {
        long storedBefore = bundle.sql().count("SELECT COUNT(*) FROM inbox");
        byte[] body = JsonMutation.set(unique(fixture), path, literal);

        HttpResponse<String> answer = bundle.postSigned(body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(MAPPER.readTree(answer.body()).path("error").asText()).startsWith(path + " ");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox")).isEqualTo(storedBefore);
    }

    @Test
    void trailingGarbageAfterTheJsonIsRefused() throws Exception {
        long storedBefore = bundle.sql().count("SELECT COUNT(*) FROM inbox");
        byte[] json = unique("rx-received.json");
        byte[] body = (new String(json, StandardCharsets.UTF_8) + " x").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = bundle.postSigned(body);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(answer.body()).path("error").asText()).startsWith("the body is not valid JSON");
        HttpResponse<String> secondObject = bundle.postSigned((new String(unique("rx-received.json"), StandardCharsets.UTF_8) + "{}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(secondObject.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(secondObject.body()).path("error").asText()).startsWith("the body is followed by more than one JSON value");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox")).isEqualTo(storedBefore);
    }

    @Test
    void valuesAtTheirLimitsAreStoredAsSent() throws Exception {
        String trackingUrl = "https://www.fedex.com/fedextrack/?trknbr=" + "7".repeat(1500);
        String drugName = "\u00e9".repeat(300);
        String sig = "Take 1 tablet\n\tby mouth daily.";
        byte[] rx = JsonMutation.set(JsonMutation.set(JsonMutation.set(unique("rx-received.json"),
                "medication_requests[0].drug_name", string(drugName)), "medication_requests[0].sig_text", string(sig)),
                "medication_requests[0].drug_schedule", "4");
        long prescriptionId = MAPPER.readTree(rx).at("/medication_requests/0/id").asLong();
        byte[] shipment = JsonMutation.set(unique("shipment-updated.json"),
                "medication_requests[0].medication_dispenses[0].shipment.tracking_url", string(trackingUrl));
        String orderNumber = MAPPER.readTree(shipment).at("/medication_requests/0/medication_dispenses/0/order_number").asText();

        processed(rx);
        processed(shipment);

        assertThat(bundle.sql().queryOne("SELECT drug_name, sig_text, drug_schedule FROM prescription WHERE prescription_id = ?",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)}, prescriptionId).orElseThrow())
                .containsExactly(drugName, sig, "4");
        assertThat(bundle.sql().queryOne("SELECT tracking_url FROM shipment WHERE order_number = ?", row -> row.getString(1), orderNumber))
                .contains(trackingUrl);
    }

    @Test
    void eventTypeIsMatchedWhateverItsCaseAndStoredInCanonicalForm() throws Exception {
        byte[] rx = JsonMutation.set(unique("rx-received.json"), "event_type", string("Rx_Received"));
        JsonNode event = MAPPER.readTree(rx);

        processed(rx);

        assertThat(bundle.sql().queryOne("SELECT event_type FROM inbox WHERE event_id = ?", row -> row.getString(1),
                event.path("event_id").asText())).contains("RX_RECEIVED");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM prescription WHERE prescription_id = ?",
                event.at("/medication_requests/0/id").asLong())).isEqualTo(1);
    }

    /** Posts the event, expects 200, and waits until it is processed. */
    private void processed(byte[] body) throws Exception {
        HttpResponse<String> answer = bundle.postSigned(body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        bundle.awaitStatus(MAPPER.readTree(body).path("event_id").asText(), InboxStatus.PROCESSED);
    }

    /** A fixture with its own event_id, prescription id, order number and exception id, so inputs do not meet. */
    private byte[] unique(String fixture) {
        int n = sequence.incrementAndGet();
        String tag = getClass().getSimpleName().toLowerCase() + "-" + n;
        return JsonMutation.replaceAll(RunningBundle.payload(fixture), Map.of(
                "a7a26ff2-e851-45b6-9634-d595f45458b7", tag, "b1c9e0d4-2f3a-4c6b-8e7d-1a2b3c4d5e6f", tag,
                "c2d0f1e5-3a4b-4d7c-9f8e-2b3c4d5e6f70", tag, "d3e1a2f6-4b5c-4e8d-a09f-3c4d5e6f7081", tag,
                "183601", String.valueOf(6_000_000 + n), "XQ05O2A", "HX" + n, "9D84N", "HX" + n, "\"id\": 67", "\"id\": " + (7_000_000 + n)));
    }
}
