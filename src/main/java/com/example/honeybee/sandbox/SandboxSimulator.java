package com.example.honeybee.sandbox;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox's {@code POST /v1/simulate} (Honeybee's sandbox simulator): body
 * {@code {"simulation_type": "event", "simulation": {"event_type": "RX_RECEIVED", "medication_requests":
 * [{"prescriber_name", "drug_name", "ndc", "sig_text", "written_qty", "refills_left", "expire_date",
 * "drug_schedule"}]}}}. It answers 202 at once and the webhook follows asynchronously: each medication request
 * becomes a prescription of one new simulated patient (an id like Honeybee's generated ones) whose RX_RECEIVED
 * is queued and delivered, signed, on the sandbox clock's next step. The 202 body (not documented by Honeybee)
 * names the patient and prescriptions, so a test can follow them. Refusals: 400 naming the field for a body
 * that does not fit, 422 for an event type the sandbox does not simulate (only RX_RECEIVED).
 */
public final class SandboxSimulator {

    private final SandboxHoneybee sandbox;
    private final ObjectMapper mapper;

    public SandboxSimulator(SandboxHoneybee sandbox, ObjectMapper mapper) {
        this.sandbox = sandbox;
        this.mapper = mapper;
    }

    /** The answer to one simulate request: a refusal, or 202 with the simulated ids. */
    public SandboxOrderValidation.Refusal check(JsonNode body) {
        if (!"event".equals(body.path("simulation_type").asText(null))) {
            return new SandboxOrderValidation.Refusal(400, 400, "simulation_type", "simulation_type must be \"event\"");
        }
        JsonNode simulation = body.path("simulation");
        if (!simulation.isObject()) {
            return new SandboxOrderValidation.Refusal(400, 400, "simulation", "simulation must be an object");
        }
        if (!"RX_RECEIVED".equals(simulation.path("event_type").asText(null))) {
            return new SandboxOrderValidation.Refusal(422, 422, "simulation.event_type", "the sandbox simulates RX_RECEIVED only");
        }
        JsonNode requests = simulation.path("medication_requests");
        if (!requests.isArray() || requests.isEmpty()) {
            return new SandboxOrderValidation.Refusal(400, 400, "simulation.medication_requests",
                    "simulation.medication_requests must be a non-empty array");
        }
        for (int i = 0; i < requests.size(); i++) {
            JsonNode request = requests.get(i);
            String where = "simulation.medication_requests[" + i + "].";
            if (!request.path("ndc").isTextual()) {
                return new SandboxOrderValidation.Refusal(400, 400, where + "ndc", where + "ndc is required");
            }
            if (request.has("written_qty") && !(request.get("written_qty").isNumber() && request.get("written_qty").asDouble() > 0)) {
                return new SandboxOrderValidation.Refusal(400, 400, where + "written_qty", where + "written_qty must be a positive number");
            }
            if (request.has("refills_left") && !(request.get("refills_left").canConvertToInt() && request.get("refills_left").asInt() >= 0)) {
                return new SandboxOrderValidation.Refusal(400, 400, where + "refills_left", where + "refills_left must be 0 or more");
            }
        }
        return null;
    }

    /** Creates the simulated prescriptions (their RX_RECEIVED queued); answers the 202 body. Call after {@link #check}. */
    public ObjectNode simulate(JsonNode body) {
        String patientId = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        ObjectNode answer = mapper.createObjectNode();
        ObjectNode simulation = answer.putObject("simulation").put("event_type", "RX_RECEIVED").put("patient_id", patientId);
        ArrayNode ids = simulation.putArray("prescription_ids");
        for (JsonNode request : body.path("simulation").path("medication_requests")) {
            ObjectNode form = mapper.createObjectNode().put("ehr_id", patientId);
            for (String field : new String[] {"prescriber_name", "drug_name", "ndc", "sig_text", "written_qty", "expire_date",
                    "drug_schedule"}) {
                if (request.hasNonNull(field)) {
                    form.set(field, request.get(field));
                }
            }
            if (request.hasNonNull("refills_left")) {
                form.put("refills", request.get("refills_left").asInt());
            }
            ids.add(sandbox.createTestPrescription(form).path("prescription_id").asLong());
        }
        return answer;
    }
}
