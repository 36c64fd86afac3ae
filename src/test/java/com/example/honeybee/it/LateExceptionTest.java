package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ORDER_EXCEPTION older than its order's last status change (Honeybee delivers webhooks out of order)
 * never puts a shipped, delivered or canceled order back On Hold: it is recorded as late, shown without
 * actions, and neither operators nor the exception policy can answer it.
 */
class LateExceptionTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "late-exception-token";

    @TempDir
    Path dir;

    /** Starts (with the policy given, as the policy file's one line) and delivers one order. */
    private String deliveredOrder(String policyRule) throws IOException {
        Path policy = dir.resolve("policy.properties");
        Files.writeString(policy, policyRule + "\n");
        start(Map.of("honeybee.ops.token", TOKEN, "honeybee.exception.policy-file", policy.toString()));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "Delivered");
        return order;
    }

    private JsonNode listed(long exceptionId) {
        for (JsonNode exception : new OpsClient(bundle.port(), TOKEN).get("/exceptions").body()) {
            if (exception.path("exception_id").asLong() == exceptionId) {
                return exception;
            }
        }
        throw new AssertionError("exception " + exceptionId + " is not listed");
    }

    @Test
    void anExceptionArrivingAfterDeliveryLeavesTheOrderDeliveredAndIsShownLateWithoutActions() throws IOException {
        // a policy that would cancel it at once, were it open
        String order = deliveredOrder("State Invalid = cancel_by_partner");

        life.deliverOrderException(9001, order, "");

        assertThat(life.orders().find(order).orElseThrow().status()).isEqualTo("Delivered");
        assertThat(life.orders().history(order)).filteredOn(h -> h.status().equals("On Hold"))
                .singleElement().satisfies(h -> assertThat(h.applied()).isFalse());
        JsonNode late = listed(9001);
        assertThat(late.path("late").asBoolean()).isTrue();
        assertThat(late.path("actions")).isEmpty();
        assertThat(late.path("resolution").asText()).isEqualTo("late: arrived after the order was Delivered");
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);
        OpsClient.Answer answer = ops.post("/exceptions/9001/actions", "{\"action\":\"cancel_by_partner\"}");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().path("error").asText()).contains("arrived late");
        assertThat(ops.get("/orders/" + order).body().path("exceptions").get(0).path("late").asBoolean()).isTrue();
        assertThat(life.sandbox().actionRequests()).as("neither the policy nor the operator sent anything").isEmpty();
    }

    @Test
    void honeybeeTimestampsDecideWhenTheExceptionCarriesOne() throws IOException {
        String order = deliveredOrder("# operators answer everything");
        // the sandbox's delivery scan is 26 hours after shipping: one exception raised before it, one after
        var scans = bundle.sql().query("SELECT MAX(occurred_at) FROM shipment_tracking_event WHERE order_number = ?",
                row -> row.getObject(1, java.time.OffsetDateTime.class), order);
        java.time.OffsetDateTime delivered = scans.get(0);

        life.deliverOrderException(9002, order, ",\"created_at\":\"" + delivered.minusHours(1) + "\"");
        life.deliverOrderException(9003, order, ",\"created_at\":\"" + delivered.plusHours(1) + "\"");

        assertThat(listed(9002).path("late").asBoolean()).as("older than the delivery scan").isTrue();
        assertThat(listed(9002).path("resolution").asText()).startsWith("late: raised ");
        assertThat(listed(9003).path("late").asBoolean()).as("newer than every status Honeybee reported").isFalse();
        assertThat(life.orders().find(order).orElseThrow().status()).as("never back On Hold").isEqualTo("Delivered");
    }
}
