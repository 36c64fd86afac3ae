package com.example.honeybee.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

import com.example.honeybee.inbox.InboxOutcome;
import com.example.honeybee.observe.HoneybeeMetrics;
import com.example.honeybee.support.HoneybeeHeaders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** The JSON bodies the webhook endpoint answers with. */
public class WebhookResponses {

    private final ObjectMapper mapper;
    private final HoneybeeMetrics metrics;

    public WebhookResponses(ObjectMapper mapper, HoneybeeMetrics metrics) {
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public String stored(@Header(HoneybeeHeaders.INBOX_OUTCOME) InboxOutcome outcome,
                         @Header(HoneybeeHeaders.EVENT_ID) String eventId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", outcome.responseStatus());
        body.put("event_id", eventId);
        if (outcome == InboxOutcome.CONFLICT) {
            body.put("conflict", "a different body was stored under this event_id; this one is kept for audit");
        }
        return write(body);
    }

    /** The answer to a refused request: its status code goes to CamelHttpResponseCode. */
    public String rejected(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof WebhookRejectedException rejected) {
            metrics.webhookRejected(rejected.reason());
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, rejected.status());
            if (rejected instanceof WebhookDeferredException deferred) {
                exchange.getMessage().setHeader("Retry-After", String.valueOf(deferred.retryAfterSeconds()));
            }
            return write(ordered("rejected", rejected.getMessage()));
        }
        // a fault of ours (the database is down, say): 503 so that Honeybee delivers the event again
        metrics.webhookRejected("unavailable");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
        return write(ordered("unavailable", "the event could not be stored now; deliver it again later"));
    }

    /** status first, then error: a stable order for people and tools reading the answer. */
    private static Map<String, Object> ordered(String status, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        return body;
    }

    private String write(Map<String, Object> body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
    }
}
