package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.record.ExceptionRepository;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refill schedule and the exception policy against the sandbox. */
class RefillAndPolicyTest extends SandboxBundleTestSupport {

    @TempDir
    Path dir;



    /** A prescription whose first order was delivered, for a patient with the given enrolment. */
    private long deliveredOnce(PartnerPatient patient, int refills) {
        life.partnerPatient(patient);
        long rx = life.prescribe(patient, true, refills, null);
        life.requestFill(rx);
        life.awaitOrderStatus(life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber(), "Delivered");
        life.awaitRefillsLeft(rx, Math.max(0, refills - 1));
        return rx;
    }

    private void runSchedule() {
        bundle.context().createProducerTemplate().requestBody("direct:honeybee-refill-schedule", (Object) null);
    }

    @Test
    void aDueRefillIsOrderedExactlyOnceWhenTheScheduleRunsTwice() {
        start(Map.of("honeybee.refill.policy", "order", "honeybee.refill.interval-days", "0", "honeybee.refill.lead-days", "0"));
        long rx = deliveredOnce(HONEE, 3);

        runSchedule();
        runSchedule();

        String refillOrder = life.awaitFill(rx, 2, FillStatus.PLACED).orderNumber();
        assertThat(life.fill(rx, 2).orElseThrow().requestedBy()).isEqualTo("refill-schedule");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM fill_request WHERE prescription_id = ?", rx)).isEqualTo(2);
        assertThat(life.sandbox().orderNumbersFor(rx)).hasSize(2).endsWith(refillOrder);
    }

    @Test
    void notEnrolledAndZeroRefillPrescriptionsGetNoRefill() {
        start(Map.of("honeybee.refill.policy", "order", "honeybee.refill.interval-days", "0", "honeybee.refill.lead-days", "0"));
        PartnerPatient notEnrolled = new PartnerPatient("P-7", "EHR-7", "seven@example.com", "Sev", "En", LocalDate.of(1970, 7, 7),
                "5550000007", "7 Seventh St", null, "Austin", "TX", "78701", false);
        long rxNotEnrolled = deliveredOnce(notEnrolled, 3);
        long rxNoRefills = deliveredOnce(HONEE, 1);

        runSchedule();

        assertThat(life.fill(rxNotEnrolled, 2)).isEmpty();
        assertThat(life.fill(rxNoRefills, 2)).isEmpty();
        assertThat(life.sandbox().orderCount()).isEqualTo(2);
    }

    @Test
    void reminderPolicyRecordsOneReminderAndOrdersNothing() {
        start(Map.of("honeybee.refill.policy", "reminder", "honeybee.refill.interval-days", "0", "honeybee.refill.lead-days", "0"));
        long rx = deliveredOnce(HONEE, 3);
        NotifyBuilder sent = new NotifyBuilder(bundle.context()).fromCurrentRoute("refill-reminder").whenCompleted(1).create();

        runSchedule();
        runSchedule();

        assertThat(sent.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM refill_reminder WHERE prescription_id = ? AND fill_number = 2", rx)).isEqualTo(1);
        assertThat(life.fill(rx, 2)).isEmpty();
        assertThat(life.sandbox().orderCount()).isEqualTo(1);
    }

    @Test
    void policyRuleCancelsAPrescriptionExpiredExceptionOnceAndRecordsTheRule() throws IOException {
        Path policy = dir.resolve("policy.properties");
        Files.writeString(policy, "# test policy\nPrescription Expired = cancel_by_partner\n");
        start(Map.of("honeybee.exception.policy-file", policy.toString(), "honeybee.sandbox.exception-on-order", "1",
                "honeybee.sandbox.exception-name", "Prescription Expired"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();

        life.awaitOrderStatus(order, "Canceled");

        assertThat(life.sandbox().actionRequests()).extracting(Object::toString).containsExactly("{\"event\":\"CANCEL_BY_PARTNER\"}");
        String resolution = bundle.sql().queryOne("SELECT resolution FROM order_exception WHERE order_number = ?", r -> r.getString(1), order)
                .orElseThrow();
        assertThat(resolution).isEqualTo("CANCEL_BY_PARTNER by policy rule 'Prescription Expired = cancel_by_partner'");

        // the same ORDER_EXCEPTION processed again answers nothing twice
        String eventId = bundle.sql().queryOne("SELECT event_id FROM inbox WHERE event_type = 'ORDER_EXCEPTION'", r -> r.getString(1)).orElseThrow();
        bundle.sql().update("UPDATE inbox SET status = 'PENDING' WHERE event_id = ?", eventId);
        bundle.awaitStatus(eventId, InboxStatus.PROCESSED);
        assertThat(life.sandbox().actionRequests()).hasSize(1);
        assertThat(bundle.bean("honeybeeOrderExceptions", ExceptionRepository.class).find(
                bundle.sql().queryOne("SELECT exception_id FROM order_exception", r -> r.getLong(1)).orElseThrow()).orElseThrow().status())
                .isEqualTo("ANSWERED");
    }
}
