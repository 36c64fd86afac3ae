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
import com.example.honeybee.patients.PatientReviewNeededException;
import com.example.honeybee.patients.PatientReviewQueue;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's decisions for one fill: what a successful POST /orders records, how an unknown outcome
 * is reconciled against GET /orders before any retry, and where each classified failure goes
 * (retry at a later next_attempt_at, reconcile, review queue, or dead letter).
 */
public class OrderPlacement {

    public static final String FILL = "HoneybeeFill";
    public static final String RECONCILED = "HoneybeeReconciled";
    public static final String SOURCE_OUTBOX = "outbox";
    /** Orders dated this long before the fill's first attempt still count as its own (clock skew). */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(OrderPlacement.class);

    private final FillRepository fills;
    private final OrderRepository orders;
    private final PatientReviewQueue reviews;
    private final DeadLetterStore deadLetters;
    private final RetrySchedule retries;
    private final Clock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();

    public OrderPlacement(FillRepository fills, OrderRepository orders, PatientReviewQueue reviews, DeadLetterStore deadLetters,
                          RetrySchedule retries, Clock clock) {
        this.fills = fills;
        this.orders = orders;
        this.reviews = reviews;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.clock = clock;
        deadLetters.registerReplay(SOURCE_OUTBOX, ref -> fills.requeueDead(Long.parseLong(ref)));
    }

    /** Starts work on a claimed fill: the fill as a property, its ids as headers. */
    public void begin(Exchange exchange) {
        Fill fill = exchange.getMessage().getBody(Fill.class);
        exchange.setProperty(FILL, fill);
        exchange.getMessage().setHeader(HoneybeeHeaders.PATIENT_ID, fill.honeybeePatientId());
        if (fill.hasPrescription()) {
            exchange.getMessage().setHeader(HoneybeeHeaders.PRESCRIPTION_ID, fill.prescriptionId());
        } else {
            exchange.getMessage().removeHeader(HoneybeeHeaders.PRESCRIPTION_ID);
        }
        exchange.getMessage().setHeader("HoneybeeFillId", fill.id());
        exchange.setProperty(RECONCILED, false);
    }

    /** POST /orders answered 2xx: the fill is placed and the order enters the local record. */
    public void placed(Exchange exchange) {
        Fill fill = exchange.getProperty(FILL, Fill.class);
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        JsonNode order = answer != null && answer.has("order") ? answer.get("order") : answer;
        String orderNumber = order == null ? null : order.path("order_number").asText(null);
        String requestId = exchange.getMessage().getHeader(PartnerApi.REQUEST_ID, String.class);
        if (orderNumber == null || orderNumber.isBlank()) {
            // created, but we cannot tell which order: find it like any other unknown outcome
            fills.retryAt(fill.id(), FillStatus.UNKNOWN, clock.instant(), "POST /orders answered without order_number", requestId);
            return;
        }
        record(fill, orderNumber, order.path("order_status").asText("Processing"), requestId);
    }

    /**
     * Before posting again after an unknown outcome: GET /orders?patient_id= answered; an order holding
     * this prescription, dated after the first attempt and not owned by another fill, is this fill's.
     */
    public void reconcile(Exchange exchange) {
        Fill fill = exchange.getProperty(FILL, Fill.class);
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        JsonNode list = answer != null && answer.has("orders") ? answer.get("orders") : answer;
        List<String> taken = fills.orderNumbersOtherThan(fill.id());
        OffsetDateTime since = fill.firstAttemptAt() == null ? null : fill.firstAttemptAt().minus(SKEW);
        if (list != null && list.isArray()) {
            for (JsonNode order : list) {
                String number = order.path("order_number").asText(null);
                if (number == null || taken.contains(number) || !holds(order, fill) || !datedAfter(order, since)) {
                    continue;
                }
                LOG.info("fill {} of prescription {}: the earlier POST /orders did create order {} (found by reconciliation)",
                        fill.fillNumber(), fill.prescriptionId(), LogSafe.escape(number));
                record(fill, number, order.path("order_status").asText("Processing"),
                        exchange.getMessage().getHeader(PartnerApi.REQUEST_ID, String.class));
                exchange.setProperty(RECONCILED, true);
                return;
            }
        }
        LOG.info("fill {} of prescription {}: no order found by reconciliation; posting it again", fill.fillNumber(), fill.prescriptionId());
    }

    /**
     * Route step before a POST: true when Honeybee reported, after this fill was requested, an order of its
     * prescription that no fill of ours placed (Orders Dashboard, another system; e.g. while the Partner API
     * was down and the fill waited). Posting would fill the prescription twice, so the fill is parked with
     * the reported order named, for an operator to decide. Runs after reconciliation, so an order an earlier
     * attempt of this fill created is adopted first, never taken for someone else's.
     */
    public boolean reportedMeanwhile(Exchange exchange) {
        Fill fill = exchange.getProperty(FILL, Fill.class);
        if (!fill.hasPrescription()) {
            return false;
        }
        List<FillHistory.ReportedOrder> outside = fills.history(fill.prescriptionId()).placedOutsideSince(fill.createdAt());
        if (outside.isEmpty()) {
            return false;
        }
        dead(fill, "not placed: Honeybee reported order " + outside.get(0).orderNumber() + " of prescription " + fill.prescriptionId()
                + " (placed outside this bundle) after fill " + fill.fillNumber() + " was requested", null, null, null);
        return true;
    }

    /** A classified Partner API failure (the outbox-errors route configuration calls this). */
    public void apiFailed(Exchange exchange) {
        Fill fill = exchange.getProperty(FILL, Fill.class);
        PartnerApiException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PartnerApiException.class);
        boolean postingOrder = "POST".equals(exchange.getMessage().getHeader(PartnerApi.METHOD))
                && "/orders".equals(exchange.getMessage().getHeader(PartnerApi.PATH));
        switch (failure.kind()) {
            case REJECTED -> dead(fill, failure.getMessage(), failure.errorCode(), failure.requestId(), failure);
            case RETRYABLE -> retry(fill, fill.status() == FillStatus.UNKNOWN ? FillStatus.UNKNOWN : FillStatus.PENDING,
                    failure.retryAfter(), failure.getMessage(), failure.requestId());
            case OUTCOME_UNKNOWN -> retry(fill, postingOrder || fill.status() == FillStatus.UNKNOWN ? FillStatus.UNKNOWN : FillStatus.PENDING,
                    failure.retryAfter(), failure.getMessage(), failure.requestId());
        }
    }

    /** No single partner patient: the fill waits in the review queue, no order is placed. */
    public void needsReview(Exchange exchange) {
        Fill fill = exchange.getProperty(FILL, Fill.class);
        PatientReviewNeededException review = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PatientReviewNeededException.class);
        reviews.open(review);
        fills.needsReview(fill.id(), review.reason());
        LOG.warn("fill {} of prescription {} waits for patient review: {}", fill.fillNumber(), fill.prescriptionId(),
                LogSafe.escape(review.reason()));
    }

    /** Anything else (token endpoint down, a bug): retried with backoff within the retry window, then dead. */
    public void failed(Exchange exchange) {
        Fill fill = exchange.getProperty(FILL, Fill.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        retry(fill, fill.status() == FillStatus.UNKNOWN ? FillStatus.UNKNOWN : FillStatus.PENDING, null,
                FailureReason.describe(failure), null);
    }

    private void retry(Fill fill, FillStatus status, Duration retryAfter, String reason, String requestId) {
        if (!retries.withinWindow(fill.firstAttemptAt(), OffsetDateTime.now(clock))) {
            dead(fill, "gave up after " + fill.attempts() + " attempts over the retry window of "
                    + TimeUtils.printDuration(retries.window(), false) + "; last: " + reason, null, requestId, null);
            return;
        }
        Duration wait = retries.after(fill.attempts(), retryAfter);
        Instant at = clock.instant().plus(wait);
        fills.retryAt(fill.id(), status, at, reason, requestId);
        LOG.warn("fill {} of prescription {} attempt {} failed ({}); next attempt in {} ms{}", fill.fillNumber(), fill.prescriptionId(),
                fill.attempts(), LogSafe.escape(reason), wait.toMillis(), status == FillStatus.UNKNOWN ? " after reconciliation" : "");
    }

    private void dead(Fill fill, String reason, String errorCode, String requestId, Throwable failure) {
        fills.dead(fill.id(), reason, errorCode, requestId);
        long id = deadLetters.park(SOURCE_OUTBOX, String.valueOf(fill.id()), reason, failure, errorCode);
        LOG.warn("fill {} of prescription {} parked as dead letter {}: {}", fill.fillNumber(), fill.prescriptionId(), id, LogSafe.escape(reason));
    }

    private void record(Fill fill, String orderNumber, String status, String requestId) {
        fills.placed(fill.id(), orderNumber, requestId);
        if (fill.hasPrescription()) {
            orders.recordPlaced(orderNumber, fill.honeybeePatientId(), fill.prescriptionId(), status, "fill-" + fill.id());
        } else {
            orders.recordPlacedAddOns(orderNumber, fill.honeybeePatientId(), skus(fill), status, "fill-" + fill.id());
        }
        LOG.info("fill {} of prescription {} placed as order {} (X-Request-Id={})", fill.fillNumber(), fill.prescriptionId(),
                LogSafe.escape(orderNumber), LogSafe.escape(requestId));
    }

    /** A fill of a prescription: the order holds it. An order of add-ons alone: the order holds exactly its SKUs and no prescription. */
    private boolean holds(JsonNode order, Fill fill) {
        if (fill.hasPrescription()) {
            for (JsonNode item : order.path("items")) {
                if (item.path("prescription_id").asLong(-1) == fill.prescriptionId()) {
                    return true;
                }
            }
            return false;
        }
        List<String> skus = new java.util.ArrayList<>();
        for (JsonNode item : order.path("items")) {
            if (item.has("prescription_id")) {
                return false;
            }
            skus.add(item.path("sku").asText());
        }
        return skus.equals(skus(fill));
    }

    private List<String> skus(Fill fill) {
        OrderItems items = OrderItems.fromJson(mapper, fill.orderItems());
        return items == null ? List.of() : items.addOns().stream().map(OrderItems.AddOn::sku).toList();
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
