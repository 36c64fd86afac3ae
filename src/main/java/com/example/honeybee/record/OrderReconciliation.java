package com.example.honeybee.record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.example.honeybee.api.PartnerApiException;
import com.example.honeybee.db.Sql;
import com.example.honeybee.observe.HoneybeeMetrics;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy for the local record (routes/reconcile.camel.yaml): a webhook that never arrives must not leave
 * an order stale for ever. Each run picks the open orders (not Delivered or Canceled) whose status has not
 * changed for {@code staleAfter} and that no run asked about within that time, the stalest first, at most
 * {@code maxPerRun}; asks {@code GET /orders/{order_number}} for each; and applies the reported
 * {@code order_status} through {@link OrderRepository#applyStatus}, the same monotonic rule as webhooks
 * ({@link OrderStatus#canMoveTo}), recorded in the order's history with the event id {@code reconcile-<instant>}.
 * An order that moved is drift, counted in {@link HoneybeeMetrics#orderReconciled}. The answer is read
 * tolerantly: {@code {"order": {...}}} or bare, the status from {@code order_status} or else from the
 * {@code medication_dispenses[]} entry of this order.
 */
public class OrderReconciliation {

    /** Header: the order being reconciled. */
    public static final String ORDER_NUMBER = "HoneybeeOrderNumber";
    private static final Logger LOG = LoggerFactory.getLogger(OrderReconciliation.class);

    private final Sql sql;
    private final OrderRepository orders;
    private final HoneybeeMetrics metrics;
    private final Clock clock;
    private final Duration staleAfter;
    private final int maxPerRun;

    public OrderReconciliation(Sql sql, OrderRepository orders, HoneybeeMetrics metrics, Clock clock, Duration staleAfter, int maxPerRun) {
        if (maxPerRun < 1) {
            throw new IllegalStateException("honeybee.reconcile.max-per-run must be at least 1; was " + maxPerRun);
        }
        this.sql = sql;
        this.orders = orders;
        this.metrics = metrics;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.maxPerRun = maxPerRun;
    }

    /** The order numbers this run asks about: open, unchanged and not asked about for staleAfter; stalest first, at most maxPerRun. */
    public List<String> findStale() {
        Instant cutoff = clock.instant().minus(staleAfter);
        List<String> stale = sql.query("SELECT order_number FROM rx_order WHERE status NOT IN ('Delivered', 'Canceled')"
                        + " AND updated_at < ? AND (reconciled_at IS NULL OR reconciled_at < ?)"
                        + " ORDER BY updated_at, order_number FETCH FIRST " + maxPerRun + " ROWS ONLY",
                row -> row.getString(1), cutoff, cutoff);
        if (!stale.isEmpty()) {
            LOG.info("reconciliation: asking Honeybee about {} open order(s) unchanged for {}", stale.size(), staleAfter);
        }
        return stale;
    }

    /** Route step: GET /orders/{order_number} answered; applies the reported status. Answers the outcome. */
    public String apply(Exchange exchange) {
        String number = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        String reported = reportedStatus(exchange.getMessage().getBody(JsonNode.class), number);
        String before = orders.find(number).map(OrderRepository.Order::status).orElse(null);
        String outcome;
        String caughtUpTo = null;
        if (reported == null) {
            outcome = "failed";
            LOG.warn("reconciliation: Honeybee's answer for order {} holds no order_status", LogSafe.escape(number));
        } else {
            orders.applyStatus(number, reported, "reconcile-" + clock.instant());
            String after = orders.find(number).map(OrderRepository.Order::status).orElse(null);
            if (after != null && !after.equals(before)) {
                outcome = "drift";
                caughtUpTo = after;
                LOG.warn("reconciliation: order {} was {} here but {} at Honeybee (a webhook never arrived); caught up",
                        LogSafe.escape(number), LogSafe.escape(before), LogSafe.escape(after));
            } else if (OrderStatus.parse(reported).map(OrderStatus::label).filter(label -> label.equals(before)).isPresent()) {
                outcome = "in_sync";
            } else {
                outcome = "kept";
            }
        }
        markChecked(number);
        metrics.orderReconciled(outcome, caughtUpTo);
        return outcome;
    }

    /** Route step: the call for one order failed; 404 is recorded as checked, anything else is asked again next run. */
    public void failed(Exchange exchange) {
        String number = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean notFound = failure instanceof PartnerApiException api && api.status() == 404;
        if (notFound) {
            markChecked(number);
        }
        metrics.orderReconciled(notFound ? "not_found" : "failed", null);
        LOG.warn("reconciliation: order {} not reconciled: {}", LogSafe.escape(number),
                LogSafe.escape(notFound ? "Honeybee does not know it (404)" : FailureReason.describe(failure)));
    }

    private void markChecked(String number) {
        sql.update("UPDATE rx_order SET reconciled_at = ? WHERE order_number = ?", clock.instant(), number);
    }

    static String reportedStatus(JsonNode answer, String number) {
        if (answer == null) {
            return null;
        }
        JsonNode order = answer.has("order") && answer.get("order").isObject() ? answer.get("order") : answer;
        String direct = order.path("order_status").asText(null);
        if (direct != null && !direct.isBlank()) {
            return direct;
        }
        Optional<String> dispensed = Optional.empty();
        for (JsonNode dispense : order.path("medication_dispenses")) {
            String status = dispense.path("order_status").asText(null);
            if (status != null && (dispensed.isEmpty() || number.equals(dispense.path("order_number").asText(null)))) {
                dispensed = Optional.of(status);
            }
        }
        return dispensed.orElse(null);
    }
}
