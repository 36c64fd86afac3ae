package com.example.honeybee.address;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.api.ErrorCodes;
import com.example.honeybee.api.PartnerApi;
import com.example.honeybee.api.PartnerApiException;
import com.example.honeybee.db.Sql;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corrects an order's shipping address with Honeybee's {@code PUT /v1/orders/{order_number}/shipping_address}
 * (routes/shipping-address.camel.yaml), the fix for an address hold ("State Invalid", "Address Error") before the
 * operator answers VERIFIED_BY_PARTNER. Every attempt is a row of order_address_change for the order's timeline:
 * who, when, the flags, Honeybee's status, code, refused field names and X-Request-Id, never the address. Honeybee's
 * refusals become {@link AddressRefusedException}s with the status the ops API answers:
 * <ul>
 * <li>42221–42227, 42230, 42231 (an address field or the whole address): 422, field by field from error_detail;</li>
 * <li>42228 (already shipped): 409; 42229 (controlled substance, change needs Honeybee's approval): 422;
 * 42293 (shipping method not allowed for a PO Box or general-delivery address): 422;</li>
 * <li>404: 404; 409 (another recent request): 409; no answer, 429 or 5xx: 503 (the PUT may be sent again: it is
 * idempotent).</li>
 * </ul>
 * The request body is {@code {"<root>": {address}}} with the root key {@code honeybee.order.shipping-address-root}
 * (default {@code address}, as the order body's; empty sends the address object bare): Honeybee does not publish it.
 */
public class ShippingAddressCorrection {

    /** Header: the order whose address changes (Honeybee's order_number). */
    public static final String ORDER_NUMBER = "HoneybeeOrderNumber";
    /** Header: who asked (operator, demo, a partner system), kept on the timeline. */
    public static final String REQUESTED_BY = "HoneybeeRequestedBy";
    private static final String ADDRESS = "HoneybeeShippingAddress";
    private static final Logger LOG = LoggerFactory.getLogger(ShippingAddressCorrection.class);

    private final Sql sql;
    private final ObjectMapper mapper;
    private final OrderRepository orders;
    private final boolean acceptSuggested;
    private final boolean ignoreWarnings;
    private final String rootKey;
    private final Clock clock;

    public ShippingAddressCorrection(Sql sql, ObjectMapper mapper, OrderRepository orders, boolean acceptSuggested, boolean ignoreWarnings,
                                     String rootKey, Clock clock) {
        this.sql = sql;
        this.mapper = mapper;
        this.orders = orders;
        this.acceptSuggested = acceptSuggested;
        this.ignoreWarnings = ignoreWarnings;
        this.rootKey = rootKey == null ? "" : rootKey.trim();
        this.clock = clock;
    }

    /**
     * Checks the request and prepares the call: the body is a {@link ShippingAddress}, or its JSON (text or tree);
     * the order must be in the local record. Sets the Partner API headers and answers the request body.
     *
     * @throws AddressRefusedException 400 for a bad address (naming the field), 404 for an unknown order
     */
    public String prepare(Exchange exchange) throws Exception {
        String orderNumber = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        if (orderNumber == null || orderNumber.isBlank()) {
            throw new AddressRefusedException(400, "an address correction needs the header " + ORDER_NUMBER, null, List.of());
        }
        if (orders.find(orderNumber).isEmpty()) {
            throw new AddressRefusedException(404, "order " + LogSafe.escape(orderNumber) + " is not known", null, List.of());
        }
        ShippingAddress address = address(exchange.getMessage().getBody());
        exchange.setProperty(ADDRESS, address);
        exchange.getMessage().setHeader(PartnerApi.METHOD, "PUT");
        exchange.getMessage().setHeader(PartnerApi.PATH, "/orders/{order_number}/shipping_address");
        exchange.getMessage().setHeader(PartnerApi.ORDER_NUMBER, orderNumber);
        ObjectNode json = address.toHoneybee(mapper, acceptSuggested, ignoreWarnings);
        return mapper.writeValueAsString(rootKey.isEmpty() ? json : mapper.createObjectNode().set(rootKey, json));
    }

    /** Honeybee answered 2xx: the change is recorded and answered (ids and flags only). */
    public Map<String, Object> changed(Exchange exchange) {
        String orderNumber = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        String requestId = exchange.getMessage().getHeader(PartnerApi.REQUEST_ID, String.class);
        Integer status = exchange.getMessage().getHeader(PartnerApi.STATUS, Integer.class);
        long id = record(exchange, "CHANGED", status, null, List.of(), requestId);
        LOG.info("order {}: shipping address corrected by {} (change {}, X-Request-Id={})", LogSafe.escape(orderNumber),
                LogSafe.escape(requestedBy(exchange)), id, LogSafe.escape(requestId));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("order_number", orderNumber);
        answer.put("change_id", id);
        answer.put("outcome", "CHANGED");
        answer.put("accept_suggested", flags(exchange)[0]);
        answer.put("ignore_warnings", flags(exchange)[1]);
        answer.put("request_id", requestId);
        return answer;
    }

    /** Honeybee refused or did not answer: recorded, then thrown as the ops API's 4xx/5xx (see the class comment). */
    public void refused(Exchange exchange) {
        String orderNumber = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        PartnerApiException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PartnerApiException.class);
        AddressRefusedException refusal = translate(orderNumber, failure);
        record(exchange, refusal.status() >= 500 ? "NO_ANSWER" : "REFUSED", failure.status() == 0 ? null : failure.status(),
                failure.errorCode(), failure.fields(), failure.requestId());
        LOG.warn("order {}: shipping address correction refused: {}", LogSafe.escape(orderNumber), LogSafe.escape(refusal.getMessage()));
        throw refusal;
    }

    /** The order's address changes, oldest first, for its timeline (no address values). */
    public List<Map<String, Object>> changes(String orderNumber) {
        return sql.query("SELECT id, exception_id, requested_by, accept_suggested, ignore_warnings, outcome, http_status, error_code,"
                        + " error_fields, request_id, changed_at FROM order_address_change WHERE order_number = ? ORDER BY id",
                row -> {
                    Map<String, Object> change = new LinkedHashMap<>();
                    change.put("change_id", row.getLong(1));
                    long exceptionId = row.getLong(2);
                    change.put("exception_id", row.wasNull() ? null : exceptionId);
                    change.put("requested_by", row.getString(3));
                    change.put("accept_suggested", row.getBoolean(4));
                    change.put("ignore_warnings", row.getBoolean(5));
                    change.put("outcome", row.getString(6));
                    int status = row.getInt(7);
                    change.put("http_status", row.wasNull() ? null : status);
                    change.put("error_code", row.getString(8));
                    String fields = row.getString(9);
                    change.put("error_fields", fields == null || fields.isEmpty() ? List.of() : List.of(fields.split(",")));
                    change.put("request_id", row.getString(10));
                    change.put("changed_at", String.valueOf(Sql.timestamp(row, "changed_at")));
                    return change;
                }, orderNumber);
    }

    /** The ops API's answer to a Honeybee failure. */
    static AddressRefusedException translate(String orderNumber, PartnerApiException failure) {
        String order = "order " + LogSafe.escape(orderNumber);
        String requestId = " (X-Request-Id " + failure.requestId() + ")";
        List<String> fields = failure.fields().stream().map(ShippingAddressCorrection::opsField).distinct().toList();
        String code = failure.errorCode();
        if (failure.kind() != PartnerApiException.Kind.REJECTED) {
            if (failure.status() == 409) {
                return new AddressRefusedException(409, "Honeybee answered 409 for " + order + ": the correction conflicts with another recent"
                        + " request; look at the order and send it again in a moment" + requestId, code, fields);
            }
            return new AddressRefusedException(503, "Honeybee did not take the address correction of " + order + " ("
                    + (failure.status() == 0 ? "no answer" : "status " + failure.status()) + "); it may or may not have changed:"
                    + " send it again (the correction is idempotent)" + requestId, code, fields);
        }
        if (failure.status() == 404) {
            return new AddressRefusedException(404, "Honeybee does not know " + order + requestId, code, fields);
        }
        if ("42228".equals(code)) {
            return new AddressRefusedException(409, order + " has already shipped: Honeybee no longer changes its address (42228);"
                    + " for a lost or damaged package, reorder it" + requestId, code, fields);
        }
        if ("42229".equals(code)) {
            return new AddressRefusedException(422, order + " holds a controlled substance: Honeybee must approve an address change"
                    + " (42229); contact Honeybee quoting the X-Request-Id" + requestId, code, fields);
        }
        if ("42293".equals(code)) {
            return new AddressRefusedException(422, "the shipping method of " + order + " cannot deliver to a PO Box or general-delivery"
                    + " address (42293): give a street address" + requestId, code, fields.isEmpty() ? List.of("street1") : fields);
        }
        StringBuilder message = new StringBuilder("Honeybee refused the address of ").append(order).append(" with ")
                .append(failure.status()).append(code == null ? "" : " code " + code + " (" + ErrorCodes.describe(code) + ")");
        if (!fields.isEmpty()) {
            message.append(": ");
            List<String> each = new ArrayList<>();
            for (int i = 0; i < failure.fields().size(); i++) {
                String honeybee = failure.fields().get(i);
                each.add(opsField(honeybee) + (opsField(honeybee).equals(honeybee) ? "" : " (" + honeybee + ")"));
            }
            message.append(String.join(", ", each));
        }
        return new AddressRefusedException(failure.status() == 400 ? 400 : 422, message + requestId, code, fields);
    }

    /** Honeybee's error_detail field (address.state) in the ops API's name (state); other names as Honeybee gave them. */
    static String opsField(String honeybee) {
        for (String prefix : new String[] {"address.", "shipping_address."}) {
            if (honeybee.startsWith(prefix) && ShippingAddress.FIELDS.contains(honeybee.substring(prefix.length()))) {
                return honeybee.substring(prefix.length());
            }
        }
        return honeybee;
    }

    private ShippingAddress address(Object body) throws Exception {
        if (body instanceof ShippingAddress address) {
            return address;
        }
        if (body instanceof JsonNode json) {
            return ShippingAddress.parse(json);
        }
        if (body instanceof Map<?, ?> map) {
            return ShippingAddress.parse(mapper.valueToTree(map));
        }
        String text = body == null ? "" : body.toString();
        try {
            return ShippingAddress.parse(text.isBlank() ? null : mapper.readTree(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AddressRefusedException(400, "the body is not valid JSON", null, List.of("body"));
        }
    }

    private boolean[] flags(Exchange exchange) {
        ShippingAddress address = exchange.getProperty(ADDRESS, ShippingAddress.class);
        return new boolean[] {address != null && address.acceptSuggested() != null ? address.acceptSuggested() : acceptSuggested,
                address != null && address.ignoreWarnings() != null ? address.ignoreWarnings() : ignoreWarnings};
    }

    private long record(Exchange exchange, String outcome, Integer status, String code, List<String> fields, String requestId) {
        String orderNumber = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        boolean[] flags = flags(exchange);
        Optional<Long> exceptionId = sql.queryOne("SELECT exception_id FROM order_exception WHERE order_number = ? AND status = 'OPEN'"
                + " ORDER BY exception_id DESC FETCH FIRST 1 ROWS ONLY", row -> row.getLong(1), orderNumber);
        String fieldList = String.join(",", fields);
        return sql.inTransaction(connection -> {
            Sql.update(connection, "INSERT INTO order_address_change (order_number, exception_id, requested_by, accept_suggested,"
                            + " ignore_warnings, outcome, http_status, error_code, error_fields, request_id, changed_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", orderNumber, exceptionId.orElse(null), requestedBy(exchange),
                    flags[0], flags[1], outcome, status, code, fieldList.length() > 1000 ? fieldList.substring(0, 1000) : fieldList,
                    requestId, clock.instant());
            return Sql.query(connection, "SELECT MAX(id) FROM order_address_change WHERE order_number = ?", row -> row.getLong(1),
                    orderNumber).get(0);
        });
    }

    private static String requestedBy(Exchange exchange) {
        String by = exchange.getMessage().getHeader(REQUESTED_BY, String.class);
        return by == null || by.isBlank() ? "partner" : by.length() > 50 ? by.substring(0, 50) : by;
    }
}
