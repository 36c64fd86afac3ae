package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.example.honeybee.demo.DemoDriver;
import org.junit.jupiter.api.Test;

/**
 * The demo's whole lifecycle (Test Prescription, approval, order, Filling, Shipped, Delivered, refill,
 * exception answered after correcting the address through the API, reorder of the first order for a lost
 * package) with every log line captured: none may carry the demo patients' PHI.
 */
class DemoLifecycleTest {

    /** Everything config/demo-patients.csv and the demo's Test Prescription know about the patients. */
    private static final List<String> PHI = List.of("Honee", "honee.bea@example.com", "honee.bea2@example.com", "sam.sample@example.com",
            "310-555-0192", "3105550192", "512-555-0144", "737-555-0101", "1990-06-14", "1985-02-03", "1979-11-30",
            "123 Main St", "500 Congress Ave", "Apt 4", "77 Elm St", "Sample");

    @Test
    void fullDemoLifecycleCompletesAndLogsNoPatientData() {
        try (LogCapture logs = LogCapture.attach()) {
            try (RunningBundle bundle = RunningBundle.start(Map.of("honeybee.demo.enabled", "true",
                    "honeybee.patients.import-csv", "classpath:honeybee/standalone/demo-patients.csv",
                    "honeybee.sandbox.exception-on-order", "2"))) {
                DemoDriver demo = bundle.bean("honeybeeDemoDriver", DemoDriver.class);
                await().atMost(Duration.ofSeconds(90)).until(demo::isComplete);

                assertThat(bundle.sql().count("SELECT COUNT(*) FROM fill_request WHERE status = 'PLACED'")).isEqualTo(2);
                assertThat(bundle.sql().count("SELECT COUNT(*) FROM rx_order WHERE status = 'Delivered'")).isEqualTo(3);
                assertThat(bundle.sql().count("SELECT COUNT(*) FROM order_address_change WHERE outcome = 'CHANGED'")).isEqualTo(1);
                assertThat(bundle.sql().count("SELECT COUNT(*) FROM reorder_request WHERE status = 'PLACED' AND reason = 'lost'")).isEqualTo(1);
                assertThat(bundle.sql().count("SELECT COUNT(*) FROM order_exception WHERE status = 'ANSWERED'")).isEqualTo(1);
                assertThat(bundle.sql().queryOne("SELECT matched_by FROM patient_link", r -> r.getString(1))).contains("email");
            }
            String text = logs.text();
            assertThat(text).contains("DONE: prescription").contains("Exception 501 'State Invalid'")
                    .contains("PUT /orders/HB1001/shipping_address: Honeybee took the corrected address")
                    .contains("reorders it (direct:honeybee-reorder, reason lost)")
                    .containsPattern("DONE: prescription \\d+ was filled, refilled and delivered twice; 1 exception was answered after an"
                            + " address correction; order HB1000 was reordered \\(lost package\\) as order HB1002 and delivered\\.");
            for (String phi : PHI) {
                assertThat(text).as("log output must not contain %s", phi).doesNotContain(phi);
            }
            assertThat(Pattern.compile("\\bBea\\b").matcher(text).find()).as("last name in the logs").isFalse();
        }
    }

    /**
     * The sandbox numbers every run from 300001, so a second walkthrough on the first one's database would
     * overwrite its prescription and narrate its orders as if they were new: the demo does not start there.
     */
    @Test
    void onADatabaseThatHoldsAnEarlierRunTheWalkthroughDoesNotStart() {
        String database = "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Map<String, String> demo = Map.of("honeybee.demo.enabled", "true",
                "honeybee.patients.import-csv", "classpath:honeybee/standalone/demo-patients.csv");
        String firstPatient;
        try (RunningBundle first = RunningBundle.start(database, demo)) {
            await().atMost(Duration.ofSeconds(60)).until(first.bean("honeybeeDemoDriver", DemoDriver.class)::isComplete);
            firstPatient = first.sql().queryOne("SELECT patient_id FROM prescription WHERE prescription_id = 300001", r -> r.getString(1))
                    .orElseThrow();
        }
        try (LogCapture logs = LogCapture.attach(); RunningBundle second = RunningBundle.start(database, demo)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("The demo walks through a fresh database only"));

            assertThat(logs.text()).contains("already holds 1 prescription(s)").doesNotContain("1. A prescriber sends an e-Rx");
            // the demo took no number from this run's sandbox: its first Test Prescription is still 300001
            assertThat(new Lifecycle(second).sandbox().createTestPrescription(new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode().put("ehr_id", "other")).path("prescription_id").asLong()).isEqualTo(300001L);
            assertThat(second.bean("honeybeeDemoDriver", DemoDriver.class).isComplete()).isFalse();
            assertThat(firstPatient).isNotEqualTo("other");
        }
    }
}
