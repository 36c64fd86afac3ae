package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of fills on PostgreSQL while the sandbox answers 30% of POST /orders with a fault: 500 or
 * 503 with Retry-After (15%), 429 with Retry-After (10%), a timeout after the order was created (5%).
 * A few patients have an address Honeybee refuses (422). Afterwards: exactly one order per valid fill,
 * nothing lost, dead letters only for the 422s. Size: -Dreliability.fault.fills (default 200).
 */
class FaultInjectionTest {

    @Test
    void thirtyPercentFaultsStillGiveExactlyOneOrderPerFill() throws Exception {
        int fills = Figures.size("reliability.fault.fills", 200);
        int refused = Math.max(1, fills / 20);
        Map<String, String> overrides = new HashMap<>(PostgresDatabase.credentials());
        overrides.put("honeybee.fill.policy", "auto");
        overrides.put("honeybee.sandbox.step-ms", "600000");
        overrides.put("honeybee.sandbox.fault.error-rate", "0.15");
        overrides.put("honeybee.sandbox.fault.rate-limit-rate", "0.10");
        overrides.put("honeybee.sandbox.fault.timeout-rate", "0.05");
        overrides.put("honeybee.sandbox.fault.timeout-delay-ms", "1200");
        overrides.put("honeybee.api.timeout-ms", "800");
        overrides.put("honeybee.outbox.retry-base-ms", "50");
        overrides.put("honeybee.outbox.retry-max-ms", "2000");
        try (RunningBundle bundle = RunningBundle.start(PostgresDatabase.freshSchemaUrl(), overrides)) {
            SandboxHoneybee sandbox = bundle.bean("honeybeeSandbox", SandboxHoneybee.class);
            JdbcPartnerPatientDirectory directory = new JdbcPartnerPatientDirectory(bundle.sql());
            ObjectMapper mapper = new ObjectMapper();
            List<Long> valid = new ArrayList<>();
            List<Long> invalid = new ArrayList<>();
            for (int i = 0; i < fills; i++) {
                boolean badZip = i < refused;
                directory.upsert(new PartnerPatient("FP-" + i, "FEHR-" + i, "f" + i + "@example.com", "F", "P" + i, LocalDate.of(1980, 1, 1),
                        "5550000000", i + " Main St", null, "Austin", "TX", badZip ? "7870" : "78701", true));
                long rx = sandbox.createTestPrescription(mapper.createObjectNode().put("ehr_id", "FEHR-" + i).put("first_name", "F")
                        .put("last_name", "P" + i).put("refills", 1)).path("prescription_id").asLong();
                (badZip ? invalid : valid).add(rx);
            }
            // the sandbox's clock is slowed down (step-ms) so orders stay Processing: deliver the RX_RECEIVED
            // events now, as its next tick would, instead of hoping the first tick came after they were created
            var deliver = bundle.context().createProducerTemplate();
            for (byte[] webhook : sandbox.tick()) {
                deliver.sendBody("direct:honeybee-sandbox-deliver-webhook", webhook);
            }

            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    bundle.sql().count("SELECT COUNT(*) FROM fill_request") == fills
                            && bundle.sql().count("SELECT COUNT(*) FROM fill_request WHERE status IN ('PENDING', 'UNKNOWN')") == 0);

            long orders = valid.stream().mapToLong(rx -> sandbox.orderNumbersFor(rx).size()).sum();
            long ordersForRefused = invalid.stream().mapToLong(rx -> sandbox.orderNumbersFor(rx).size()).sum();
            long placed = bundle.sql().count("SELECT COUNT(*) FROM fill_request WHERE status = 'PLACED'");
            long deadLetters = bundle.sql().count("SELECT COUNT(*) FROM dead_letter");
            long deadLettersNot4xx = bundle.sql().count("SELECT COUNT(*) FROM dead_letter WHERE error_code IS NULL OR error_code NOT LIKE '4%'");
            long faults = bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'POST' AND path = '/orders' AND outcome <> 'ok'"
                    + " AND outcome <> 'rejected'");
            long posts = sandbox.orderPosts();
            new Figures("fault-injection").put("fills requested", fills).put("POST /orders sent", posts)
                    .put("POST /orders answered with a fault (5xx, 429, timeout)", faults)
                    .put("fault share", String.format("%.0f%%", 100.0 * faults / posts))
                    .put("orders created for valid fills", orders).put("valid fills", valid.size())
                    .put("duplicate orders", orders - valid.size()).put("fills placed", placed)
                    .put("fills refused by Honeybee (422)", invalid.size()).put("dead letters", deadLetters)
                    .put("dead letters not for a 4xx", deadLettersNot4xx).write();

            assertThat(faults).isPositive();
            assertThat(orders).isEqualTo(valid.size());
            assertThat(valid).allSatisfy(rx -> assertThat(sandbox.orderNumbersFor(rx)).hasSize(1));
            assertThat(ordersForRefused).isZero();
            assertThat(placed).isEqualTo(valid.size());
            assertThat(deadLetters).isEqualTo(invalid.size());
            assertThat(deadLettersNot4xx).isZero();
        }
    }
}
