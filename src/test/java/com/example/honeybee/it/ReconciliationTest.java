package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.honeybee.orders.FillStatus;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation schedule (anti-entropy) over real HTTP: the sandbox loses every webhook after an order is
 * placed, so only GET /v1/orders/{order_number} can tell the bundle that the order moved on.
 */
class ReconciliationTest extends SandboxBundleTestSupport {

    /** A Quartz cron that never fires during a test: runs are started by the test. */
    private static final String NEVER = "0+0+0+1+1+?+2099";

    @Test
    void theScheduleCatchesUpAnOrderWhoseWebhooksWereLostAndCountsTheDrift() {
        start(Map.of("honeybee.reconcile.cron", "0/1+*+*+*+*+?", "honeybee.reconcile.stale-after", "1s"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.sandbox().faults().loseWebhooks(1.0);

        life.requestFill(rx);
        String number = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Delivered".equals(life.sandbox().orderStatus(number)));

        life.awaitOrderStatus(number, "Delivered");
        // the status moves before its history row is written: wait for the row
        await().atMost(Duration.ofSeconds(10)).until(() -> life.orders().history(number).stream()
                .anyMatch(report -> report.eventId().startsWith("reconcile-") && report.applied()));
        assertThat(drift(bundle.get("/observe/metrics").body())).as("drift counted").isGreaterThanOrEqualTo(1.0);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM schedule_run WHERE schedule = 'reconcile'"))
                .as("fired by the Quartz schedule").isPositive();
    }

    @Test
    void aRunAsksAboutAtMostMaxPerRunOrdersTheStalestFirstAndLeavesFreshOrdersAlone() {
        start(Map.of("honeybee.reconcile.cron", NEVER, "honeybee.reconcile.stale-after", "2s", "honeybee.reconcile.max-per-run", "1"));
        life.partnerPatient(HONEE);
        long first = life.prescribe(HONEE);
        long second = life.prescribe(HONEE);
        life.sandbox().faults().loseWebhooks(1.0);
        life.requestFill(first);
        String older = life.awaitFill(first, 1, FillStatus.PLACED).orderNumber();
        life.requestFill(second);
        String newer = life.awaitFill(second, 1, FillStatus.PLACED).orderNumber();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Delivered".equals(life.sandbox().orderStatus(newer)));

        // not stale yet: nothing is asked
        run();
        assertThat(status(older)).isEqualTo("Processing");
        assertThat(status(newer)).isEqualTo("Processing");

        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);
        run();
        assertThat(status(older)).as("the stalest first").isEqualTo("Delivered");
        assertThat(status(newer)).as("bounded: one order per run").isEqualTo("Processing");
        run();
        assertThat(status(newer)).isEqualTo("Delivered");
        assertThat(drift(bundle.get("/observe/metrics").body())).isEqualTo(2.0);
    }

    private void run() {
        bundle.context().createProducerTemplate().sendBody("direct:honeybee-reconcile-stale-orders", null);
    }

    private String status(String number) {
        return life.orders().find(number).orElseThrow().status();
    }

    /** The sum of honeybee_reconcile_drift_total over its status labels, as Prometheus scrapes it. */
    private static double drift(String metrics) {
        Matcher line = Pattern.compile("(?m)^honeybee_reconcile_drift_total\\{[^}]*} ([0-9.eE+]+)$").matcher(metrics);
        double sum = 0;
        while (line.find()) {
            sum += Double.parseDouble(line.group(1));
        }
        return sum;
    }
}
