package com.example.honeybee.orders;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipping.method_id every order uses: honeybee.shipping.method-id checked against GET
 * /shipping_methods at startup, or the first method listed when none is configured.
 */
public class ShippingMethods {

    private static final Logger LOG = LoggerFactory.getLogger(ShippingMethods.class);

    private final Integer configured;
    private volatile Integer chosen;

    public ShippingMethods(Integer configured) {
        this.configured = configured;
    }

    /** Takes GET /shipping_methods' answer (wrapped in "shipping_methods" or bare); fails fast with a clear message. */
    public void verify(JsonNode answer) {
        JsonNode methods = answer != null && answer.has("shipping_methods") ? answer.get("shipping_methods") : answer;
        if (methods == null || !methods.isArray() || methods.isEmpty()) {
            throw new ShippingMethodException("GET /shipping_methods listed no shipping methods; orders cannot be placed");
        }
        StringBuilder listed = new StringBuilder();
        for (JsonNode method : methods) {
            int id = method.path("id").asInt(-1);
            listed.append(listed.length() == 0 ? "" : ", ").append(id).append(" (").append(method.path("name").asText("?")).append(')');
            if (configured != null && configured == id) {
                chosen = id;
            }
        }
        if (configured == null) {
            chosen = methods.get(0).path("id").asInt();
        } else if (chosen == null) {
            throw new ShippingMethodException("honeybee.shipping.method-id=" + configured
                    + " is not one of Honeybee's shipping methods: " + listed);
        }
        LOG.info("orders ship with shipping method {} (Honeybee lists {})", chosen, listed);
    }

    public boolean isVerified() {
        return chosen != null;
    }

    public int methodId() {
        if (chosen == null) {
            throw new ShippingMethodException("the shipping method was not verified against GET /shipping_methods yet");
        }
        return chosen;
    }

    /** The shipping method cannot be used; the message names the property and Honeybee's list (no PHI). */
    public static class ShippingMethodException extends IllegalStateException implements com.example.honeybee.support.PhiFreeMessage {
        public ShippingMethodException(String message) {
            super(message);
        }
    }
}
