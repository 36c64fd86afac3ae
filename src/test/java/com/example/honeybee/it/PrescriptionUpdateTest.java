package com.example.honeybee.it;

import static com.example.honeybee.it.JsonMutation.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.orders.FillRefusedException;
import com.example.honeybee.record.Prescription;
import com.example.honeybee.record.PrescriptionRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RX_UPDATED updates the prescription (issue 10 item 4): active, expire_date, sig_text, written_qty,
 * drug_schedule and prescriber take the reported value, refills_left only counts down, absent fields
 * keep theirs; a prescription made inactive or expired refuses fills with 422, through the ops API and
 * direct:honeybee-request-fill alike. All over real HTTP.
 */
class PrescriptionUpdateTest {

    private static final String TOKEN = "rx-update-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private RunningBundle bundle;
    private int events;

    @BeforeEach
    void start() {
        bundle = startBundle(Map.of("honeybee.ops.token", TOKEN, "honeybee.sandbox.step-ms", "600000"));
    }

    /** The bundle under test; the PostgreSQL variant starts it on PostgreSQL. */
    protected RunningBundle startBundle(Map<String, String> properties) {
        return RunningBundle.start(properties);
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    @Test
    void anUpdateThatDeactivatesThePrescriptionRefusesFills() throws Exception {
        received(501);
        updated(501, Map.of("active", "false"));

        HttpResponse<String> approve = approve(501);

        assertThat(approve.statusCode()).isEqualTo(422);
        assertThat(MAPPER.readTree(approve.body()).path("error").asText()).isEqualTo("prescription 501 is not active");
        assertThat(prescription(501).active()).isFalse();
    }

    @Test
    void theStringFalseIsReadAsFalse() throws Exception {
        received(502);
        updated(502, Map.of("active", string("false")));

        assertThat(approve(502).statusCode()).isEqualTo(422);
        assertThat(prescription(502).active()).isFalse();
    }

    @Test
    void anUpdateThatExpiresThePrescriptionRefusesFillsFromEveryEntry() throws Exception {
        received(503);
        updated(503, Map.of("expire_date", string("2026-01-31T17:00:00.000-07:00")));

        HttpResponse<String> approve = approve(503);
        assertThat(approve.statusCode()).isEqualTo(422);
        assertThat(MAPPER.readTree(approve.body()).path("error").asText()).startsWith("prescription 503 expired on 2026-0");
        assertThatThrownBy(() -> new Lifecycle(bundle).requestFill(503)).hasRootCauseInstanceOf(FillRefusedException.class)
                .rootCause().satisfies(e -> assertThat(((FillRefusedException) e).status()).isEqualTo(422));
    }

    @Test
    void theReportedFieldsAreTakenRefillsOnlyCountDownAndAbsentFieldsKeepTheirValue() throws Exception {
        received(504);
        updated(504, Map.of("sig_text", string("Take 2 tablets by mouth daily."), "written_qty", "30.5", "drug_schedule", "2",
                "prescriber_name", string("Dr. Ada Quill"), "refills_left", "12", "expire_date", string("2030-06-30T00:00:00Z")));

        Prescription rx = prescription(504);
        assertThat(rx.sigText()).isEqualTo("Take 2 tablets by mouth daily.");
        assertThat(rx.writtenQty()).isEqualByComparingTo(new BigDecimal("30.5"));
        assertThat(rx.drugSchedule()).isEqualTo("2");
        assertThat(bundle.sql().queryOne("SELECT prescriber_name FROM prescription WHERE prescription_id = 504", r -> r.getString(1)))
                .contains("Dr. Ada Quill");
        assertThat(rx.expireDate()).isEqualTo(OffsetDateTime.parse("2030-06-30T00:00:00Z"));
        assertThat(rx.refillsLeft()).as("refills never go up").isEqualTo(11);
        assertThat(rx.drugName()).as("absent: kept").isEqualTo("ESTRADIOL 1MG TABLET");
        assertThat(rx.active()).isTrue();

        updated(504, Map.of("refills_left", "5"));
        assertThat(prescription(504).refillsLeft()).isEqualTo(5);
        assertThat(approve(504).statusCode()).as("still active and unexpired").isEqualTo(201);
    }

    @Test
    void aNegativeRefillsLeftIsRefusedWith400() {
        received(505);
        byte[] update = update(505, Map.of("refills_left", "-1"));

        HttpResponse<String> answer = bundle.postSigned(update);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("medication_requests[0].refills_left must be between 0 and 9999");
        assertThat(prescription(505).refillsLeft()).isEqualTo(11);
    }

    /** RX_RECEIVED of the guide's sample for this prescription id, unexpired, 11 refills; waits until recorded. */
    private void received(long id) {
        byte[] rx = JsonMutation.replaceAll(RunningBundle.payload("rx-received.json", "upd-rx-" + id),
                Map.of("183601", String.valueOf(id), "2025-03-13T17:00:00.000-07:00", "2099-03-13T17:00:00.000-07:00"));
        deliver(rx);
    }

    /** RX_UPDATED of the prescription, with no dispense, with these raw JSON values set; waits until processed. */
    private void updated(long id, Map<String, String> values) {
        deliver(update(id, values));
    }

    private byte[] update(long id, Map<String, String> values) {
        byte[] event = JsonMutation.replaceAll(RunningBundle.payload("rx-updated.json", "upd-" + id + "-" + (++events)),
                Map.of("183601", String.valueOf(id), "\"refills_left\": 10,", ""));
        event = JsonMutation.set(event, "medication_requests[0].medication_dispenses", null);
        event = JsonMutation.set(event, "medication_requests[0].drug_name", null);
        event = JsonMutation.set(event, "medication_requests[0].ndc", null);
        for (Map.Entry<String, String> value : values.entrySet()) {
            event = JsonMutation.set(event, "medication_requests[0]." + value.getKey(), value.getValue());
        }
        return event;
    }

    private void deliver(byte[] event) {
        HttpResponse<String> answer = bundle.postSigned(event);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try {
            bundle.awaitStatus(MAPPER.readTree(event).path("event_id").asText(), InboxStatus.PROCESSED);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Prescription prescription(long id) {
        return bundle.bean("honeybeePrescriptions", PrescriptionRepository.class).find(id).orElseThrow();
    }

    private HttpResponse<String> approve(long id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + bundle.port() + "/api/prescriptions/" + id + "/fills"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
