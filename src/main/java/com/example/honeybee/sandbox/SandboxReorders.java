package com.example.honeybee.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's {@code POST /v1/orders/{order_number}/reorders} (Honeybee: "re-sends a previously shipped order",
 * 201, 400, 409, 422). 201 {@code {"order": {...}}} with a new order in Processing for the same items and shipping
 * (not counted as a fill: Honeybee pays for a replacement), reported by RX_UPDATED and moved on by the clock like any
 * order; 404 unknown order; 400 when {@code reason} is not lost, damaged or other; 409 (Honeybee's documented
 * conflict body) for an order that has not shipped (Processing, Filling, On Hold, Canceled) and for a second
 * reorder of the same order. Runs under the sandbox's lock.
 */
final class SandboxReorders {

    private static final List<String> REASONS = List.of("lost", "damaged", "other");
    private static final Logger LOG = LoggerFactory.getLogger(SandboxReorders.class);

    private final SandboxHoneybee sandbox;
    private final ObjectMapper mapper;
    /** Original order number → the replacement's. */
    private final Map<String, String> replacements = new HashMap<>();
    private int posts;

    SandboxReorders(SandboxHoneybee sandbox, ObjectMapper mapper) {
        this.sandbox = sandbox;
        this.mapper = mapper;
    }

    String handle(Exchange exchange, String number) throws Exception {
        synchronized (sandbox) {
            posts++;
            SandboxHoneybee.Order order = sandbox.order(number);
            if (order == null) {
                return sandbox.answer(exchange, 404, sandbox.error(404, "order not found"));
            }
            JsonNode body;
            try {
                String text = exchange.getMessage().getBody(String.class);
                body = text == null || text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
            } catch (Exception e) {
                return sandbox.answer(exchange, 400, sandbox.error(400, "body is not JSON"));
            }
            if (!REASONS.contains(body.path("reason").asText(""))) {
                return sandbox.answer(exchange, 400, sandbox.error(400, "reason must be one of " + REASONS, "reason"));
            }
            if (!order.status.equals("Shipped") && !order.status.equals("Delivered")) {
                return sandbox.answer(exchange, 409, sandbox.conflict("order " + number + " is " + order.status
                        + ": only a shipped order can be reordered"));
            }
            if (replacements.containsKey(number)) {
                return sandbox.answer(exchange, 409, sandbox.conflict(SandboxHoneybee.DUPLICATE));
            }
            SandboxHoneybee.Order replacement = sandbox.newReorder(order);
            replacements.put(number, replacement.number);
            LOG.info("sandbox: order {} reordered as {} ({})", number, replacement.number, body.path("reason").asText());
            ObjectNode json = sandbox.orderJson(replacement);
            json.put("original_order_number", number);
            return sandbox.answer(exchange, 201, mapper.writeValueAsString(mapper.createObjectNode().set("order", json)));
        }
    }

    /** The replacement of an order, or null. */
    String replacementOf(String number) {
        synchronized (sandbox) {
            return replacements.get(number);
        }
    }

    /** How many reorder POSTs reached the sandbox. */
    int posts() {
        synchronized (sandbox) {
            return posts;
        }
    }
}
