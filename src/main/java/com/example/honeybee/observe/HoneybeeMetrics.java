package com.example.honeybee.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.InboxEventReader;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.webhook.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The bundle's own metrics, on the registry camel-micrometer exposes at /observe/metrics: webhooks
 * received, duplicate and rejected (by reason), events processed by type and outcome, Partner API calls
 * by endpoint and status, outbox backlog and open dead letters, and the time from acknowledgement to
 * processed. Tags carry types, reasons and path templates only, never ids or patient data.
 */
public class HoneybeeMetrics {

    private final CamelContext context;
    private final Sql sql;
    private final Clock clock;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    // registering a meter searches the registry; these run for every webhook and event, so each meter is looked up once
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> processingTimers = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile long gaugesReadAt;

    public HoneybeeMetrics(CamelContext context, Sql sql, Clock clock) {
        this.context = context;
        this.sql = sql;
        this.clock = clock;
    }

    public void webhookStored(@Header(HoneybeeHeaders.INBOX_OUTCOME) Object outcome) {
        counter("honeybee_webhooks_received", "outcome", String.valueOf(outcome).toLowerCase()).increment();
    }

    public void webhookRejected(String reason) {
        counter("honeybee_webhooks_rejected", "reason", reason).increment();
    }

    /** An event finished (processed, kept as unknown type, or parked); times it from its acknowledgement. */
    public void eventFinished(String eventType, String outcome, OffsetDateTime receivedAt) {
        // known types and "other": a sender cannot grow the label set with made-up types
        String type = EventType.metricLabel(eventType);
        counter("honeybee_events_processed", "event_type", type, "outcome", outcome).increment();
        if (receivedAt != null) {
            processingTimers.computeIfAbsent(type, t -> Timer.builder("honeybee_event_processing")
                            .description("time from acknowledgement to processed").tag("event_type", t)
                            .publishPercentileHistogram().register(registry()))
                    .record(Duration.between(receivedAt.toInstant(), clock.instant()));
        }
    }

    /**
     * Route step after process-event: outcome "processed", or "unknown_type" for an event kept unprocessed; from
     * the exchange (type header, received-at property), without reading the row again.
     */
    public void eventProcessed(Exchange exchange) {
        String type = exchange.getMessage().getHeader(HoneybeeHeaders.EVENT_TYPE, String.class);
        eventFinished(type, EventType.of(type).isPresent() ? "processed" : "unknown_type", receivedAt(exchange));
    }

    /** Route step after an event was parked in the dead-letter store: outcome "dead". */
    public void eventParked(Exchange exchange) {
        eventFinished(exchange.getMessage().getHeader(HoneybeeHeaders.EVENT_TYPE, String.class), "dead", receivedAt(exchange));
    }

    private static OffsetDateTime receivedAt(Exchange exchange) {
        java.time.Instant at = exchange.getProperty(InboxEventReader.RECEIVED_AT, java.time.Instant.class);
        return at == null ? null : at.atOffset(java.time.ZoneOffset.UTC);
    }

    /**
     * One Partner API call, labelled by its path template (one of PartnerApiPath.TEMPLATES, never an
     * expanded path): {@code endpoint="POST /orders/{order_number}/reorders"}.
     */
    public void apiCall(String method, String pathTemplate, Integer status, String outcome) {
        counter("honeybee_partner_api_calls", "endpoint", method + " " + (pathTemplate == null ? "?" : pathTemplate),
                "status", status == null ? outcome : String.valueOf(status)).increment();
    }

    /**
     * One order the reconciliation schedule asked Honeybee about: {@code honeybee_reconcile_checked} by outcome
     * (in_sync, drift, kept, not_found, failed) and, for drift, {@code honeybee_reconcile_drift} by the status the
     * order was caught up to (a Honeybee status label, so a small fixed set).
     */
    public void orderReconciled(String outcome, String caughtUpTo) {
        counter("honeybee_reconcile_checked", "outcome", outcome).increment();
        if (caughtUpTo != null) {
            counter("honeybee_reconcile_drift", "status", caughtUpTo).increment();
        }
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(key(name, tags), k -> registry().counter(name, tags));
    }

    private static List<String> key(String name, String... tags) {
        String[] key = new String[tags.length + 1];
        key[0] = name;
        System.arraycopy(tags, 0, key, 1, tags.length);
        return List.of(key);
    }

    private MeterRegistry registry() {
        MeterRegistry current = registry;
        if (current == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry found = context.getRegistry().findSingleByType(MeterRegistry.class);
                    registry = found != null ? found : new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
                    Gauge.builder("honeybee_outbox_backlog", this, m -> m.readGauges().backlog.get())
                            .description("fills waiting for POST /orders (pending or outcome unknown)").register(registry);
                    Gauge.builder("honeybee_dead_letters_open", this, m -> m.readGauges().deadLetters.get())
                            .description("dead letters not replayed").register(registry);
                }
                current = registry;
            }
        }
        return current;
    }

    /** Reads the gauges from the database at most once a second, whatever the scrape rate. */
    private HoneybeeMetrics readGauges() {
        long now = clock.millis();
        if (now - gaugesReadAt > 1000) {
            gaugesReadAt = now;
            backlog.set(sql.count("SELECT COUNT(*) FROM fill_request WHERE status IN ('PENDING', 'UNKNOWN')"));
            deadLetters.set(sql.count("SELECT COUNT(*) FROM dead_letter WHERE replayed_at IS NULL"));
        }
        return this;
    }

    /** Creates the meters before the first scrape, so a fresh instance already shows them. */
    public void register() {
        registry();
    }
}
