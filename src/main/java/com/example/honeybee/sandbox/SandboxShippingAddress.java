package com.example.honeybee.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's address rules and {@code PUT /v1/orders/{order_number}/shipping_address} (Honeybee's "More of the
 * Partner API"): 200 with the order; 400 for a body that is not an address; 404 unknown order; 422 with every failing
 * field as its own error (42221 first name, 42222 last name, 42223 street1, 42225 city, 42226 state abbreviation,
 * 42227 zip, 42231 state not shipped to, each with {@code error_detail[].field} such as {@code address.state}); 42228
 * once the order has shipped; 42229 for a controlled substance (drug_schedule 2–5); 42293 for a PO Box or general
 * delivery address with the express method (id {@value #EXPRESS_METHOD}, FedEx Priority Overnight: FedEx does not
 * deliver to PO Boxes); 42230 {@code address.not_found} for a street without a house number, unless
 * {@code ignore_warnings} is true (the sandbox's stand-in for an address Honeybee flags). The body is read
 * tolerantly: {@code {"address": {...}}}, {@code {"shipping_address": {...}}} or the address bare. The POST /orders
 * address gets the same PO Box and warning rules. Runs under the sandbox's lock.
 */
final class SandboxShippingAddress {

    /** The shipping method the sandbox treats as express (not to a PO Box). */
    static final int EXPRESS_METHOD = 2;
    private static final Pattern PO_BOX = Pattern.compile("(?i)\\b(p\\.?\\s*o\\.?\\s*box|post\\s+office\\s+box|general\\s+delivery)\\b");
    private static final Pattern HOUSE_NUMBER = Pattern.compile(".*\\d.*");
    private static final Set<String> NOT_CHANGEABLE = Set.of("Shipped", "Delivered");
    private static final Logger LOG = LoggerFactory.getLogger(SandboxShippingAddress.class);

    private final SandboxHoneybee sandbox;
    private final ObjectMapper mapper;
    private final Map<String, JsonNode> addresses = new HashMap<>();
    private final List<JsonNode> requests = new ArrayList<>();

    SandboxShippingAddress(SandboxHoneybee sandbox, ObjectMapper mapper) {
        this.sandbox = sandbox;
        this.mapper = mapper;
    }

    /** Answers PUT /v1/orders/{number}/shipping_address. */
    String handle(Exchange exchange, String number) throws Exception {
        synchronized (sandbox) {
            SandboxHoneybee.Order order = sandbox.order(number);
            if (order == null) {
                return sandbox.answer(exchange, 404, sandbox.error(404, "order not found"));
            }
            JsonNode body;
            try {
                body = mapper.readTree(exchange.getMessage().getBody(String.class));
            } catch (Exception e) {
                return sandbox.answer(exchange, 400, sandbox.error(400, "body is not JSON"));
            }
            JsonNode address = body == null ? null : body.has("address") ? body.get("address")
                    : body.has("shipping_address") ? body.get("shipping_address") : body;
            if (address == null || !address.isObject()) {
                return sandbox.answer(exchange, 400, sandbox.error(400, "address must be an object", "address"));
            }
            requests.add(address.deepCopy());
            if (NOT_CHANGEABLE.contains(order.status)) {
                return sandbox.answer(exchange, 422, sandbox.error(42228, "address cannot be updated: the order has already shipped", "address"));
            }
            if (order.status.equals("Canceled")) {
                return sandbox.answer(exchange, 409, sandbox.conflict("order is canceled"));
            }
            if (sandbox.controlledSubstance(order)) {
                return sandbox.answer(exchange, 422, sandbox.error(42229,
                        "address update for a controlled substance needs Honeybee's approval", "address"));
            }
            String refused = refusal(address, order.json.path("shipping").path("method_id").asInt());
            if (refused != null) {
                return sandbox.answer(exchange, 422, refused);
            }
            addresses.put(number, address.deepCopy());
            LOG.info("sandbox: order {} got a new shipping address", number);
            ObjectNode answer = mapper.createObjectNode();
            ObjectNode json = answer.putObject("order");
            json.put("order_number", number).put("order_status", order.status);
            json.set("address", address.deepCopy());
            return sandbox.answer(exchange, 200, mapper.writeValueAsString(answer));
        }
    }

    /**
     * Honeybee's error body for an address of an order with this shipping method, every failing field its own error;
     * null when it passes.
     */
    String refusal(JsonNode address, int methodId) throws Exception {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode errors = root.putArray("errors");
        for (Map.Entry<Integer, String> failure : sandbox.addressErrors(address).entrySet()) {
            addError(errors, failure.getKey(), failure.getValue(), "invalid address field");
        }
        String streets = address.path("street1").asText("") + " " + address.path("street2").asText("");
        if (errors.isEmpty() && methodId == EXPRESS_METHOD && PO_BOX.matcher(streets).find()) {
            addError(errors, 42293, "address.street1", "shipping method not allowed for a PO Box or general-delivery address");
        }
        if (errors.isEmpty() && !PO_BOX.matcher(streets).find() && !HOUSE_NUMBER.matcher(address.path("street1").asText("")).matches()
                && !address.path("ignore_warnings").asBoolean(false)) {
            addError(errors, 42230, "address.not_found", "address could not be found, please check entered address");
        }
        return errors.isEmpty() ? null : mapper.writeValueAsString(root);
    }

    /** Keeps the address an order was created with. */
    void remember(String number, JsonNode address) {
        addresses.put(number, address.deepCopy());
    }

    /** The order's address as the sandbox holds it now, or null. */
    JsonNode address(String number) {
        JsonNode address = addresses.get(number);
        return address == null ? null : address.deepCopy();
    }

    /** Every address a PUT carried, in order. */
    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private static void addError(ArrayNode errors, int code, String field, String message) {
        ObjectNode error = errors.addObject().put("code", code).put("message", message);
        error.putArray("error_detail").addObject().put("field", field).put("message", message);
    }
}
