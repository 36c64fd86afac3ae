package com.example.honeybee.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.record.PrescriptionRepository;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.example.honeybee.support.HoneybeeHeaders;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Steps of a prescription's life against a running bundle and its embedded sandbox. */
final class Lifecycle {

    static final PartnerPatient HONEE = new PartnerPatient("P-1001", "EHR-1001", "honee.bea@example.com", "Honee", "Bea",
            LocalDate.of(1990, 6, 14), "310-555-0192", "123 Main St", null, "Austin", "TX", "78701", true);

    private final RunningBundle bundle;
    private final ObjectMapper mapper = new ObjectMapper();

    Lifecycle(RunningBundle bundle) {
        this.bundle = bundle;
    }

    SandboxHoneybee sandbox() {
        return bundle.bean("honeybeeSandbox", SandboxHoneybee.class);
    }

    void partnerPatient(PartnerPatient patient) {
        new JdbcPartnerPatientDirectory(bundle.sql()).upsert(patient);
    }

    /** A sandbox Test Prescription for the patient (with the EHR id when given); answers its prescription id once recorded. */
    long prescribe(PartnerPatient patient, boolean withEhrId, int refills, String expireDate) {
        ObjectNode form = mapper.createObjectNode().put("first_name", patient.firstName()).put("last_name", patient.lastName())
                .put("dob", patient.dob().toString()).put("email", patient.email()).put("phone", patient.phone()).put("refills", refills);
        if (withEhrId) {
            form.put("ehr_id", patient.ehrId());
        }
        if (expireDate != null) {
            form.put("expire_date", expireDate);
        }
        long id = sandbox().createTestPrescription(form).get("prescription_id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> prescriptions().find(id).isPresent());
        return id;
    }

    long prescribe(PartnerPatient patient) {
        return prescribe(patient, true, 2, null);
    }

    Fill requestFill(long prescriptionId) {
        return bundle.context().createProducerTemplate().requestBodyAndHeaders("direct:honeybee-request-fill", null,
                Map.of(HoneybeeHeaders.PRESCRIPTION_ID, prescriptionId, "HoneybeeRequestedBy", "test"), Fill.class);
    }

    Fill awaitFill(long prescriptionId, int fillNumber, FillStatus status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> fill(prescriptionId, fillNumber)
                .filter(f -> f.status() == status).isPresent());
        return fill(prescriptionId, fillNumber).orElseThrow();
    }

    Optional<Fill> fill(long prescriptionId, int fillNumber) {
        return bundle.bean("honeybeeFills", FillRepository.class).find(prescriptionId, fillNumber);
    }

    void awaitOrderStatus(String orderNumber, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> orders().find(orderNumber)
                .filter(o -> o.status().equals(status)).isPresent());
    }

    void awaitRefillsLeft(long prescriptionId, int refills) {
        await().atMost(Duration.ofSeconds(20)).until(() -> prescriptions().find(prescriptionId)
                .filter(rx -> rx.refillsLeft() != null && rx.refillsLeft() == refills).isPresent());
    }

    /**
     * Honeybee's ORDER_EXCEPTION sample ("State Invalid", two actions) for the order, with a new event_id
     * and {@code extra} JSON fields inside "exception"; posted signed and processed. Answers the event_id.
     */
    String deliverOrderException(long exceptionId, String orderNumber, String extra) {
        String eventId = java.util.UUID.randomUUID().toString();
        String body = "{\"event_id\":\"" + eventId + "\",\"patient_id\":\"EHR-1001\",\"event_type\":\"ORDER_EXCEPTION\","
                + "\"exception\":{\"id\":" + exceptionId + ",\"order_number\":\"" + orderNumber + "\",\"name\":\"State Invalid\","
                + "\"message\":\"State needs to be updated on the order\"" + extra + ",\"order_actions\":["
                + "{\"event_key\":\"verified_by_partner\",\"action\":\"API Update\"},"
                + "{\"event_key\":\"cancel_by_partner\",\"action\":\"API Cancel\"}]}}";
        int status = bundle.postSigned(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode();
        if (status != 200) {
            throw new AssertionError("ORDER_EXCEPTION answered " + status);
        }
        bundle.awaitStatus(eventId, com.example.honeybee.inbox.InboxStatus.PROCESSED);
        return eventId;
    }

    PrescriptionRepository prescriptions() {
        return bundle.bean("honeybeePrescriptions", PrescriptionRepository.class);
    }

    OrderRepository orders() {
        return bundle.bean("honeybeeOrders", OrderRepository.class);
    }
}
