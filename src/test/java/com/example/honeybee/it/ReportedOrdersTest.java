package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.honeybee.inbox.DeadLetter;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillRefusedException;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.orders.OrderPlacement;
import com.example.honeybee.sandbox.SandboxFault;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Orders Honeybee reports (RX_UPDATED / SHIPMENT_UPDATED), including those placed outside the bundle from
 * Honeybee's Orders Dashboard, count toward a prescription's fills: the bundle never places one again.
 */
class ReportedOrdersTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "reported-orders-token";

    private OpsClient ops() {
        return new OpsClient(bundle.port(), TOKEN);
    }

    /** Waits until the local record holds the order for the prescription (its RX_UPDATED processed). */
    private void awaitRecorded(String orderNumber, long prescriptionId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> life.orders().prescriptionIds(orderNumber).contains(prescriptionId));
    }

    private List<Long> awaitingApproval() {
        return ops().get("/prescriptions?status=awaiting_approval").body().findValues("prescription_id").stream()
                .map(JsonNode::asLong).toList();
    }

    @Test
    void anOrderPlacedFromTheDashboardIsFillOneSoApprovalAnswers409AndTheNextFillIsARefill() {
        // the dashboard's order goes On Hold and stays there (still in progress) until the exception is answered
        start(Map.of("honeybee.ops.token", TOKEN, "honeybee.sandbox.exception-on-order", "1"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        assertThat(awaitingApproval()).containsExactly(rx);

        String dashboard = life.sandbox().placeFromDashboard(rx);
        awaitRecorded(dashboard, rx);
        life.awaitOrderStatus(dashboard, "On Hold");

        assertThat(awaitingApproval()).as("no longer awaiting approval").isEmpty();
        JsonNode listed = ops().get("/prescriptions").body().get(0);
        assertThat(listed.path("latest_order").asText()).isEqualTo(dashboard);
        OpsClient.Answer approval = ops().post("/prescriptions/" + rx + "/fills", null);
        assertThat(approval.status()).isEqualTo(409);
        assertThat(approval.body().path("error").asText()).contains("order " + dashboard).contains("placed outside this bundle");
        assertThatThrownBy(() -> life.requestFill(rx)).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(FillRefusedException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM fill_request")).isZero();

        // once Honeybee delivered it, the next fill is the prescription's second: a refill
        long exception = ops().get("/exceptions").body().get(0).path("exception_id").asLong();
        assertThat(ops().post("/exceptions/" + exception + "/actions", "{\"action\":\"verified_by_partner\"}").status()).isEqualTo(201);
        life.awaitOrderStatus(dashboard, "Delivered");
        OpsClient.Answer refill = ops().post("/prescriptions/" + rx + "/fills", null);
        assertThat(refill.status()).isEqualTo(201);
        assertThat(refill.body().path("fill_number").asInt()).isEqualTo(2);
        String ours = life.awaitFill(rx, 2, FillStatus.PLACED).orderNumber();
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(dashboard, ours);
    }

    @Test
    void withTheAutoPolicyAnOrderReportedBeforeRxReceivedIsNotPlacedAgain() {
        start(Map.of("honeybee.fill.policy", "auto"));
        long rx = 900001;
        String expires = OffsetDateTime.now(ZoneOffset.UTC).plusMonths(6).toString();
        // Honeybee's own samples' shapes; RX_UPDATED (the dashboard order) is delivered before RX_RECEIVED
        deliver("{\"event_id\":\"%s\",\"patient_id\":\"ay87nt\",\"event_type\":\"RX_UPDATED\","
                + "\"medication_requests\":[{\"id\":" + rx + ",\"drug_name\":\"ESTRADIOL 1MG TABLET\",\"ndc\":\"67877032105\","
                + "\"refills_left\":2,\"medication_dispenses\":[{\"order_number\":\"DASH1\",\"order_status\":\"Processing\","
                + "\"order_date\":\"2026-01-05T10:00:00.000-07:00\",\"product_name\":\"Estradiol\",\"strength\":\"1 mg\",\"form\":\"Tablet\","
                + "\"shipment\":null}]}]}");
        deliver("{\"event_id\":\"%s\",\"patient_id\":\"ay87nt\",\"event_type\":\"RX_RECEIVED\","
                + "\"medication_requests\":[{\"id\":" + rx + ",\"prescription_id\":" + rx + ",\"active\":true,"
                + "\"prescriber_name\":\"Dr. Jane Foster\",\"receive_date\":\"2026-01-05T09:00:00.000-07:00\","
                + "\"drug_name\":\"ESTRADIOL 1MG TABLET\",\"ndc\":\"67877032105\",\"sig_text\":\"Take 1 tablet by mouth daily.\","
                + "\"written_qty\":90,\"refills_left\":2,\"expire_date\":\"" + expires + "\",\"drug_schedule\":\"0\"}]}");

        assertThat(bundle.sql().count("SELECT COUNT(*) FROM fill_request WHERE prescription_id = ?", rx)).isZero();
        assertThat(life.sandbox().orderPosts()).isZero();
    }

    @Test
    void theRefillScheduleCountsADashboardRefillAndOrdersTheNextOneOnlyAfterIt() {
        start(Map.of("honeybee.refill.policy", "order", "honeybee.refill.interval-days", "0", "honeybee.refill.lead-days", "0"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE, true, 3, null);
        life.requestFill(rx);
        String first = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(first, "Delivered");

        String dashboard = life.sandbox().placeFromDashboard(rx);
        awaitRecorded(dashboard, rx);
        runSchedule();

        assertThat(life.fill(rx, 2)).as("no refill while the dashboard's is in progress").isEmpty();
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(first, dashboard);

        life.awaitOrderStatus(dashboard, "Delivered");
        runSchedule();

        String third = life.awaitFill(rx, 3, FillStatus.PLACED).orderNumber();
        assertThat(life.fill(rx, 2)).as("fill 2 was the dashboard's").isEmpty();
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(first, dashboard, third);
    }

    @Test
    void aFillHeldWhileTheDashboardPlacedTheOrderIsParkedNotPosted() {
        start(Map.of());
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.sandbox().faults().retryAfterSeconds(3).script(SandboxFault.UNAVAILABLE);
        life.requestFill(rx);
        await().atMost(Duration.ofSeconds(10)).until(() -> life.sandbox().orderPosts() == 1);

        // while the fill waits for Retry-After, the partner's team places the order from Honeybee's dashboard
        String dashboard = life.sandbox().placeFromDashboard(rx);
        awaitRecorded(dashboard, rx);

        Fill parked = life.awaitFill(rx, 1, FillStatus.DEAD);
        assertThat(life.sandbox().orderPosts()).as("no second POST /orders").isEqualTo(1);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(dashboard);
        List<DeadLetter> letters = bundle.bean("honeybeeDeadLetters", DeadLetterStore.class).forRef(OrderPlacement.SOURCE_OUTBOX,
                String.valueOf(parked.id()));
        assertThat(letters).singleElement().satisfies(l -> assertThat(l.reason()).contains("order " + dashboard));
    }

    private void runSchedule() {
        bundle.context().createProducerTemplate().requestBody("direct:honeybee-refill-schedule", (Object) null);
    }

    /** Posts the event (its event_id a fresh UUID in place of %s) signed, and waits until it is processed. */
    private void deliver(String template) {
        String eventId = UUID.randomUUID().toString();
        assertThat(bundle.postSigned(template.replace("%s", eventId).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        bundle.awaitStatus(eventId, InboxStatus.PROCESSED);
    }
}
