package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.patients.IdentityDocument;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Controlled substances (drug_schedule 2 to 5) over real HTTP against the sandbox: the order carries
 * identity_documents from the partner's record; without a usable document the fill waits in the review queue
 * instead of being sent to fail with 42208; the sandbox answers 42208/42216/42217/42218 as Honeybee's reference
 * lists them. Expected bodies are written by hand from the reference.
 */
class ControlledSubstanceTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "ops-token-for-controlled";
    private static final IdentityDocument LICENSE = new IdentityDocument("DL", "D1234567", "US", "TX");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aFillWithoutAnIdentityDocumentWaitsForReviewAndIsOrderedWithTheDocumentOnceTheRecordHasIt() throws Exception {
        start(Map.of("honeybee.ops.token", TOKEN));
        life.partnerPatient(HONEE);
        long rx = prescribeControlled(4);
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);

        assertThat(ops.post("/prescriptions/" + rx + "/fills", null).status()).isEqualTo(201);
        Fill waiting = life.awaitFill(rx, 1, FillStatus.NEEDS_REVIEW);
        assertThat(waiting.lastError()).startsWith("identity document needed");
        assertThat(life.sandbox().orderPosts()).as("never sent to fail with 42208").isZero();
        JsonNode reviews = ops.get("/patient-reviews").body();
        assertThat(reviews.toString()).contains("identity document needed");
        String reviewId = reviews.get(0).path("id").asText();

        // the partner adds the document to its record, and the operator releases the review
        life.partnerPatient(HONEE.withIdentityDocument(LICENSE));
        assertThat(ops.post("/patient-reviews/" + reviewId + "/resolve", "{\"partner_patient_id\": \"P-1001\"}").status()).isEqualTo(201);
        life.awaitFill(rx, 1, FillStatus.PLACED);

        JsonNode body = life.sandbox().orderRequests().get(0);
        assertThat(body.path("identity_documents")).isEqualTo(mapper.readTree(
                "[{\"type\": \"DL\", \"number\": \"D1234567\", \"issuing_country\": \"US\", \"issuing_state\": \"TX\"}]"));
        assertThat(body.path("items")).isEqualTo(mapper.readTree("[{\"prescription_id\": " + rx + "}]"));
    }

    @Test
    void aDocumentThatDoesNotFitWaitsForReviewNamingTheField() {
        start(Map.of());
        life.partnerPatient(HONEE.withIdentityDocument(new IdentityDocument("DL", "D1234567", "US", "Texas")));
        long rx = prescribeControlled(2);

        life.requestFill(rx);

        Fill waiting = life.awaitFill(rx, 1, FillStatus.NEEDS_REVIEW);
        assertThat(waiting.lastError()).startsWith("identity document needed").contains("issuing state must be 2 letters")
                .doesNotContain("Texas");
        assertThat(life.sandbox().orderPosts()).isZero();
    }

    @Test
    void aScheduleOutsideTwoToFiveNeedsNoDocument() throws Exception {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = prescribeControlled(0);

        life.requestFill(rx);
        life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(life.sandbox().orderRequests().get(0).has("identity_documents")).isFalse();
    }

    @Test
    void honeybeesIdentityCodesReachTheDeadLetterAsClearReasons() {
        // field names other than the ones Honeybee reads: the sandbox finds no document type and answers 42216
        start(Map.of("honeybee.order.identity-document-fields", "document_type,document_number,country,state"));
        life.partnerPatient(HONEE.withIdentityDocument(LICENSE));
        long rx = prescribeControlled(3);

        life.requestFill(rx);

        Fill dead = life.awaitFill(rx, 1, FillStatus.DEAD);
        assertThat(dead.errorCode()).isEqualTo("42216");
        assertThat(dead.lastError()).contains("code 42216 (invalid identity document type (one of DL, PP, MI, PR, SI, TI, OT))");
    }

    @Test
    void theSandboxAnswersTheIdentityDocumentCodesOfTheReference() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = prescribeControlled(2);
        SandboxHttp api = new SandboxHttp(bundle.port());
        String order = "{\"patient\": {\"patient_id\": \"EHR-1001\", \"patient_safety\": {\"medications\": [], \"health_conditions\": [],"
                + " \"allergies\": []}}, \"items\": [{\"prescription_id\": " + rx + "}], \"shipping\": {\"method_id\": 1},"
                + " \"address\": {\"first_name\": \"Honee\", \"last_name\": \"Bea\", \"street1\": \"123 Main St\", \"city\": \"Austin\","
                + " \"state\": \"TX\", \"zip\": \"78701\"}%s}";
        String document = ", \"identity_documents\": [{\"type\": \"%s\", \"number\": \"D1\", \"issuing_country\": \"%s\", \"issuing_state\": \"%s\"}]";

        assertCode(api.post("/orders", order.formatted("")), 42208, "identity_documents");
        assertCode(api.post("/orders", order.formatted(document.formatted("XX", "US", "TX"))), 42216, "identity_documents[0].type");
        assertCode(api.post("/orders", order.formatted(document.formatted("PP", "USA", "TX"))), 42217, "identity_documents[0].issuing_country");
        assertCode(api.post("/orders", order.formatted(document.formatted("PP", "US", "T"))), 42218, "identity_documents[0].issuing_state");
        assertThat(api.post("/orders", order.formatted(document.formatted("PP", "US", "TX"))).status()).isEqualTo(201);
    }

    private static void assertCode(SandboxHttp.Answer answer, int code, String field) {
        assertThat(answer.status()).isEqualTo(422);
        JsonNode error = answer.body().path("errors").get(0);
        assertThat(error.path("code").asInt()).isEqualTo(code);
        assertThat(error.path("error_detail").get(0).path("field").asText()).isEqualTo(field);
    }

    /** A sandbox Test Prescription of the given drug_schedule for Honee (EHR id), recorded by the bundle. */
    private long prescribeControlled(int schedule) {
        ObjectNode form = mapper.createObjectNode().put("first_name", "Honee").put("last_name", "Bea").put("dob", "1990-06-14")
                .put("email", HONEE.email()).put("ehr_id", HONEE.ehrId()).put("refills", 1).put("drug_schedule", schedule);
        long id = life.sandbox().createTestPrescription(form).get("prescription_id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> life.prescriptions().find(id).isPresent());
        return id;
    }
}
