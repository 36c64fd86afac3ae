package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the wire: the Partner API route with camel-http against a JDK HTTP server that records
 * each request line's raw path and query. An id from a webhook ends up as one encoded segment of the
 * template's endpoint (expected values written by hand), also after camel-http's own URI handling.
 */
class PartnerApiPathOverHttpTest extends BundleRouteTestSupport {

    private static HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    protected Map<String, String> settings() {
        server = start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("honeybee.inbox.dispatch-enabled", "false", "honeybee.api.url", base + "/v1",
                "honeybee.oauth.token-url", base + "/oauth/token",
                "honeybee.oauth.client-id", "route-test-client", "honeybee.oauth.client-secret", "route-test-client-secret");
    }

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/oauth/token", exchange -> answer(exchange, "{\"access_token\":\"t\",\"expires_in\":43200}"));
            http.createContext("/v1", exchange -> {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
                answer(exchange, "{}");
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void idsFromWebhooksStayOneSegmentOfTheTemplatesEndpoint() {
        startBundle();

        call("POST", "/orders/{order_number}/partner_order_action_requests", Map.of("HoneybeeApiOrderNumber", "HB1002/partner_order_action_requests?x="));
        call("GET", "/patients/{patient_id}", Map.of("HoneybeePatientId", "../orders"));
        call("GET", "/patients/{patient_id}", Map.of("HoneybeePatientId", "EHR%413004"));
        call("GET", "/patients/{patient_id}", Map.of("HoneybeePatientId", "a b#c"));
        call("GET", "/orders", Map.of("HoneybeeApiQuery", "patient_id={patient_id}", "HoneybeePatientId", "p1&status=Shipped"));

        assertThat(requests).containsExactly(
                "POST /v1/orders/HB1002%2Fpartner_order_action_requests%3Fx%3D/partner_order_action_requests",
                "GET /v1/patients/..%2Forders",
                "GET /v1/patients/EHR%25413004",
                "GET /v1/patients/a%20b%23c",
                "GET /v1/orders?patient_id=p1%26status%3DShipped");
    }

    private void call(String method, String pathTemplate, Map<String, Object> values) {
        Map<String, Object> headers = new java.util.HashMap<>(values);
        headers.put("HoneybeeApiMethod", method);
        headers.put("HoneybeeApiPath", pathTemplate);
        template.requestBodyAndHeaders("direct:honeybee-api", method.equals("GET") ? "" : "{}", headers);
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
