package com.example.honeybee.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's HTTP surface as a table: method and path (under {@code /sandbox}, with {@code {name}}
 * path parameters) to the operation that answers it, as Honeybee's API reference lists its endpoints.
 * One platform-http route receives every sandbox call (routes/server-sandbox.camel.yaml); this table
 * replaces one route per endpoint.
 */
public final class SandboxEndpoints {

    /** The path every sandbox endpoint lives under, on the bundle's own HTTP server. */
    public static final String BASE_PATH = "/sandbox";

    /** A matched call: the operation, its path parameters and its query parameters (first value of each). */
    public record Call(String operation, Map<String, String> pathParams, Map<String, String> query) {
        public String param(String name) {
            String value = pathParams.get(name);
            return value != null ? value : query.get(name);
        }
    }

    private record Endpoint(String method, Pattern path, List<String> names, String operation) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            endpoint("POST", "/oauth/token", "token"),
            endpoint("GET", "/v1/patients/{id}", "patient"),
            endpoint("GET", "/v1/shipping_methods", "shipping-methods"),
            endpoint("GET", "/v1/products", "products"),
            endpoint("GET", "/v1/refund_reasons", "refund-reasons"),
            endpoint("POST", "/v1/orders", "create-order"),
            endpoint("GET", "/v1/orders", "list-orders"),
            endpoint("GET", "/v1/orders/{number}", "get-order"),
            endpoint("POST", "/v1/simulate", "simulate"),
            endpoint("POST", "/v1/orders/{number}/partner_order_action_requests", "order-action"),
            endpoint("PUT", "/v1/orders/{number}/shipping_address", "shipping-address"),
            endpoint("POST", "/v1/orders/{number}/reorders", "reorder"),
            endpoint("POST", "/test_prescriptions", "test-prescription"));

    private SandboxEndpoints() {
    }

    /** The call for an HTTP method, a path (with or without the base path) and a raw query string; empty when none matches. */
    public static Optional<Call> match(String method, String path, String rawQuery) {
        String relative = path != null && path.startsWith(BASE_PATH) ? path.substring(BASE_PATH.length()) : String.valueOf(path);
        for (Endpoint endpoint : ENDPOINTS) {
            Matcher matcher = endpoint.path().matcher(relative);
            if (endpoint.method().equalsIgnoreCase(method) && matcher.matches()) {
                Map<String, String> params = new HashMap<>();
                for (int i = 0; i < endpoint.names().size(); i++) {
                    params.put(endpoint.names().get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
                }
                return Optional.of(new Call(endpoint.operation(), params, query(rawQuery)));
            }
        }
        return Optional.empty();
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static Endpoint endpoint(String method, String template, String operation) {
        List<String> names = new java.util.ArrayList<>();
        Matcher placeholders = Pattern.compile("\\{([a-z_]+)}").matcher(template);
        StringBuilder regex = new StringBuilder();
        int at = 0;
        while (placeholders.find()) {
            regex.append(Pattern.quote(template.substring(at, placeholders.start()))).append("([^/]+)");
            names.add(placeholders.group(1));
            at = placeholders.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return new Endpoint(method, Pattern.compile(regex.toString()), List.copyOf(names), operation);
    }
}
