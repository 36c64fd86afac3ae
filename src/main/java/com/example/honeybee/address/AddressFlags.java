package com.example.honeybee.address;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillRefusedException;
import com.example.honeybee.orders.OrderPlacement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * Honeybee's address validation flags on an order's {@code address}: {@code accept_suggested} (take Honeybee's
 * suggested correction) and {@code ignore_warnings} (accept an address Honeybee flagged). Each comes from the fill
 * request when it says (headers {@value #ACCEPT_SUGGESTED} / {@value #IGNORE_WARNINGS}, or the same-named
 * snake_case keys of a JSON or map body; kept in fill_address_flags), else from configuration
 * ({@code honeybee.order.address.accept-suggested}, {@code .ignore-warnings}, default false). The order body carries a
 * flag when it is true or when the request set it; with the defaults and no request the address is unchanged.
 */
public class AddressFlags {

    public static final String ACCEPT_SUGGESTED = "HoneybeeAcceptSuggested";
    public static final String IGNORE_WARNINGS = "HoneybeeIgnoreWarnings";
    private static final String PROPERTY = "HoneybeeAddressFlags";

    /** What a request asked for; null where it said nothing. */
    record Flags(Boolean acceptSuggested, Boolean ignoreWarnings) {
        boolean any() {
            return acceptSuggested != null || ignoreWarnings != null;
        }
    }

    private final Sql sql;
    private final ObjectMapper mapper;
    private final boolean acceptSuggested;
    private final boolean ignoreWarnings;
    private final Clock clock;

    public AddressFlags(Sql sql, ObjectMapper mapper, boolean acceptSuggested, boolean ignoreWarnings, Clock clock) {
        this.sql = sql;
        this.mapper = mapper;
        this.acceptSuggested = acceptSuggested;
        this.ignoreWarnings = ignoreWarnings;
        this.clock = clock;
    }

    /**
     * Route step before the fill is requested: reads the flags from the headers or the body, and keeps them in an
     * exchange property.
     *
     * @throws FillRefusedException 400 naming the flag when it is not true or false
     */
    public void read(Exchange exchange) {
        JsonNode body = bodyJson(exchange.getMessage().getBody());
        Flags flags = new Flags(flag(exchange, ACCEPT_SUGGESTED, body, "accept_suggested"),
                flag(exchange, IGNORE_WARNINGS, body, "ignore_warnings"));
        exchange.setProperty(PROPERTY, flags);
    }

    /** Route step after the fill is in the outbox (body: the Fill): keeps what the request asked for. */
    public void remember(Exchange exchange) {
        Flags flags = exchange.getProperty(PROPERTY, Flags.class);
        Fill fill = exchange.getMessage().getBody(Fill.class);
        if (flags != null && flags.any() && fill != null) {
            sql.insertIfAbsent("INSERT INTO fill_address_flags (fill_id, accept_suggested, ignore_warnings, created_at) VALUES (?, ?, ?, ?)",
                    fill.id(), flags.acceptSuggested(), flags.ignoreWarnings(), clock.instant());
        }
    }

    /** Route step after the order body is built (body: its JSON text): the flags put in its {@code address}. */
    public String apply(Exchange exchange) throws Exception {
        Fill fill = exchange.getProperty(OrderPlacement.FILL, Fill.class);
        ObjectNode order = (ObjectNode) mapper.readTree(exchange.getMessage().getBody(String.class));
        Optional<Flags> asked = fill == null ? Optional.empty() : sql.queryOne("SELECT accept_suggested, ignore_warnings FROM"
                + " fill_address_flags WHERE fill_id = ?", row -> new Flags(nullable(row, 1), nullable(row, 2)), fill.id());
        if (order.path("address").isObject()) {
            ObjectNode address = (ObjectNode) order.get("address");
            put(address, "accept_suggested", asked.map(Flags::acceptSuggested).orElse(null), acceptSuggested);
            put(address, "ignore_warnings", asked.map(Flags::ignoreWarnings).orElse(null), ignoreWarnings);
        }
        return mapper.writeValueAsString(order);
    }

    private static void put(ObjectNode address, String name, Boolean asked, boolean configured) {
        if (asked != null) {
            address.put(name, asked.booleanValue());
        } else if (configured) {
            address.put(name, true);
        }
    }

    private static Boolean nullable(java.sql.ResultSet row, int column) throws java.sql.SQLException {
        boolean value = row.getBoolean(column);
        return row.wasNull() ? null : value;
    }

    private JsonNode bodyJson(Object body) {
        if (body instanceof JsonNode json) {
            return json;
        }
        if (body instanceof Map<?, ?> map) {
            return mapper.valueToTree(map);
        }
        if (body instanceof String text && text.trim().startsWith("{")) {
            try {
                return mapper.readTree(text);
            } catch (Exception e) {
                return null;   // the fill request's own reading of its body answers for that
            }
        }
        return null;
    }

    private static Boolean flag(Exchange exchange, String header, JsonNode body, String key) {
        Object value = exchange.getMessage().getHeader(header);
        if (value == null && body != null && body.has(key) && !body.get(key).isNull()) {
            JsonNode node = body.get(key);
            if (!node.isBoolean()) {
                throw new FillRefusedException(400, key + " must be true or false");
            }
            return node.booleanValue();
        }
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new FillRefusedException(400, header + " must be true or false");
    }
}
