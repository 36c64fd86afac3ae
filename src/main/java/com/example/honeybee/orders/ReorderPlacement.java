package com.example.honeybee.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.example.honeybee.api.PartnerApi;
import com.example.honeybee.api.PartnerApiException;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's decisions for one reorder (routes/reorder-outbox.camel.yaml), as {@link OrderPlacement} makes them
 * for a fill: the body of {@code POST /orders/{order_number}/reorders} ({@code {"reason": ..., "note"?: ...}}, an
 * assumption: Honeybee does not publish it), what a 2xx records (the new order, linked to the original, with the
 * original's prescriptions), how an unknown outcome is reconciled against {@code GET /orders?patient_id=} before
 * any new POST, and where each failure goes. A 409 is an unknown outcome (Honeybee: "conflicting with another
 * recent request"); when the reconciliation that follows it finds no new order, the reorder is refused for good
 * (dead letter, replayable): Honeybee answers 409 for an order it does not consider shipped.
 */
public class ReorderPlacement {

    public static final String REORDER = "HoneybeeReorder";
    public static final String RECONCILED = "HoneybeeReconciled";
    public static final String SOURCE_REORDERS = "reorders";
    /** Orders dated this long before the reorder's first attempt still count as its own (clock skew). */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(ReorderPlacement.class);

    private final ReorderRepository reorders;
    private final OrderRepository orders;
    private final DeadLetterStore deadLetters;
    private final RetrySchedule retries;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ReorderPlacement(ReorderRepository reorders, OrderRepository orders, DeadLetterStore deadLetters, RetrySchedule retries,
                            ObjectMapper mapper, Clock clock) {
        this.reorders = reorders;
        this.orders = orders;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.mapper = mapper;
        this.clock = clock;
        deadLetters.registerReplay(SOURCE_REORDERS, ref -> reorders.requeueDead(Long.parseLong(ref)));
    }

    /** Starts work on a claimed reorder: the reorder as a property, the patient id as a header. */
    public void begin(Exchange exchange) {
        Reorder reorder = exchange.getMessage().getBody(Reorder.class);
        exchange.setProperty(REORDER, reorder);
        exchange.setProperty(RECONCILED, false);
        exchange.getMessage().setHeader(HoneybeeHeaders.PATIENT_ID, reorder.honeybeePatientId());
    }

    /** The POST /orders/{order_number}/reorders call: Partner API headers, and the body. */
    public String request(Exchange exchange) throws Exception {
        Reorder reorder = exchange.getProperty(REORDER, Reorder.class);
        exchange.getMessage().setHeader(PartnerApi.METHOD, "POST");
        exchange.getMessage().setHeader(PartnerApi.PATH, "/orders/{order_number}/reorders");
        exchange.getMessage().setHeader(PartnerApi.ORDER_NUMBER, reorder.originalOrderNumber());
        exchange.getMessage().removeHeader(PartnerApi.QUERY);
        ObjectNode body = mapper.createObjectNode().put("reason", reorder.reason());
        if (reorder.note() != null) {
            body.put("note", reorder.note());
        }
        return mapper.writeValueAsString(body);
    }

    /** Honeybee answered 2xx: the new order enters the local record, linked to the original. */
    public void placed(Exchange exchange) {
        Reorder reorder = exchange.getProperty(REORDER, Reorder.class);
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        JsonNode order = answer == null ? null : answer.has("order") ? answer.get("order") : answer.has("reorder") ? answer.get("reorder") : answer;
        String number = order == null ? null : order.path("order_number").asText(null);
        String requestId = exchange.getMessage().getHeader(PartnerApi.REQUEST_ID, String.class);
        if (number == null || number.isBlank()) {
            reorders.retryAt(reorder.id(), FillStatus.UNKNOWN, clock.instant(), "POST /reorders answered without order_number",
                    exchange.getMessage().getHeader(PartnerApi.STATUS, Integer.class), requestId);
            return;
        }
        record(reorder, number, order.path("order_status").asText("Processing"), requestId);
    }

    /**
     * After an unknown outcome, GET /orders?patient_id= answered: an order other than the original, holding one of
     * its prescriptions, dated after the reorder's first attempt and owned by no fill or other reorder, is this
     * reorder's. None found after a 409: refused for good. None otherwise: posted again.
     */
    public void reconcile(Exchange exchange) {
        Reorder reorder = exchange.getProperty(REORDER, Reorder.class);
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        JsonNode list = answer != null && answer.has("orders") ? answer.get("orders") : answer;
        List<String> taken = reorders.orderNumbersTakenOtherThan(reorder.id());
        List<Long> prescriptions = orders.prescriptionIds(reorder.originalOrderNumber());
        OffsetDateTime since = reorder.firstAttemptAt() == null ? null : reorder.firstAttemptAt().minus(SKEW);
        String requestId = exchange.getMessage().getHeader(PartnerApi.REQUEST_ID, String.class);
        if (list != null && list.isArray()) {
            for (JsonNode order : list) {
                String number = order.path("order_number").asText(null);
                if (number == null || number.equals(reorder.originalOrderNumber()) || taken.contains(number)
                        || !holdsAny(order, prescriptions) || !datedAfter(order, since)) {
                    continue;
                }
                LOG.info("reorder {} of order {}: the earlier POST did create order {} (found by reconciliation)", reorder.id(),
                        LogSafe.escape(reorder.originalOrderNumber()), LogSafe.escape(number));
                record(reorder, number, order.path("order_status").asText("Processing"), requestId);
                exchange.setProperty(RECONCILED, true);
                return;
            }
        }
        if (reorder.lastStatus() != null && reorder.lastStatus() == 409) {
            dead(reorder, "Honeybee answered 409 to the reorder of order " + reorder.originalOrderNumber()
                    + " and GET /orders shows no new order: refused (an order Honeybee does not consider shipped, or a reorder"
                    + " it already has); last: " + reorder.lastError(), "409", requestId, null);
            exchange.setProperty(RECONCILED, true);
            return;
        }
        LOG.info("reorder {} of order {}: no order found by reconciliation; posting it again", reorder.id(),
                LogSafe.escape(reorder.originalOrderNumber()));
    }

    /** A classified Partner API failure (the reorder-errors route configuration calls this). */
    public void apiFailed(Exchange exchange) {
        Reorder reorder = exchange.getProperty(REORDER, Reorder.class);
        PartnerApiException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PartnerApiException.class);
        boolean posting = "POST".equals(exchange.getMessage().getHeader(PartnerApi.METHOD));
        switch (failure.kind()) {
            case REJECTED -> dead(reorder, failure.getMessage(), failure.errorCode(), failure.requestId(), failure);
            case RETRYABLE -> retry(reorder, reorder.status() == FillStatus.UNKNOWN ? FillStatus.UNKNOWN : FillStatus.PENDING,
                    failure.retryAfter(), failure.getMessage(), posting ? failure.status() : reorder.lastStatus(), failure.requestId());
            case OUTCOME_UNKNOWN -> retry(reorder, posting || reorder.status() == FillStatus.UNKNOWN ? FillStatus.UNKNOWN : FillStatus.PENDING,
                    failure.retryAfter(), failure.getMessage(), posting ? failure.status() : reorder.lastStatus(), failure.requestId());
        }
    }

    /** Anything else (token endpoint down, a bug): retried with backoff within the retry window, then dead. */
    public void failed(Exchange exchange) {
        Reorder reorder = exchange.getProperty(REORDER, Reorder.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        retry(reorder, reorder.status() == FillStatus.UNKNOWN ? FillStatus.UNKNOWN : FillStatus.PENDING, null,
                FailureReason.describe(failure), reorder.lastStatus(), null);
    }

    private void retry(Reorder reorder, FillStatus status, Duration retryAfter, String reason, Integer httpStatus, String requestId) {
        if (!retries.withinWindow(reorder.firstAttemptAt(), OffsetDateTime.now(clock))) {
            dead(reorder, "gave up after " + reorder.attempts() + " attempts over the retry window of "
                    + TimeUtils.printDuration(retries.window(), false) + "; last: " + reason, null, requestId, null);
            return;
        }
        Duration wait = retries.after(reorder.attempts(), retryAfter);
        Instant at = clock.instant().plus(wait);
        reorders.retryAt(reorder.id(), status, at, reason, httpStatus, requestId);
        LOG.warn("reorder {} of order {} attempt {} failed ({}); next attempt in {} ms{}", reorder.id(),
                LogSafe.escape(reorder.originalOrderNumber()), reorder.attempts(), LogSafe.escape(reason), wait.toMillis(),
                status == FillStatus.UNKNOWN ? " after reconciliation" : "");
    }

    private void dead(Reorder reorder, String reason, String errorCode, String requestId, Throwable failure) {
        reorders.dead(reorder.id(), reason, errorCode, requestId);
        long id = deadLetters.park(SOURCE_REORDERS, String.valueOf(reorder.id()), reason, failure, errorCode);
        LOG.warn("reorder {} of order {} parked as dead letter {}: {}", reorder.id(), LogSafe.escape(reorder.originalOrderNumber()), id,
                LogSafe.escape(reason));
    }

    private void record(Reorder reorder, String newOrderNumber, String status, String requestId) {
        reorders.placed(reorder.id(), newOrderNumber, requestId);
        for (long prescriptionId : orders.prescriptionIds(reorder.originalOrderNumber())) {
            orders.recordPlaced(newOrderNumber, reorder.honeybeePatientId(), prescriptionId, status, "reorder-" + reorder.id());
        }
        orders.ensureOrder(newOrderNumber, reorder.honeybeePatientId());
        LOG.info("reorder {} of order {} ({}) placed as order {} (X-Request-Id={})", reorder.id(), LogSafe.escape(reorder.originalOrderNumber()),
                reorder.reason(), LogSafe.escape(newOrderNumber), LogSafe.escape(requestId));
    }

    private static boolean holdsAny(JsonNode order, List<Long> prescriptionIds) {
        for (JsonNode item : order.path("items")) {
            if (prescriptionIds.contains(item.path("prescription_id").asLong(-1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean datedAfter(JsonNode order, OffsetDateTime since) {
        String date = order.path("order_date").asText(null);
        if (since == null || date == null) {
            return true;
        }
        try {
            return !OffsetDateTime.parse(date).isBefore(since);
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
