package com.example.partnercamel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import ch.qos.logback.classic.LoggerContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The partner's camel-main application, started as its main method starts it (its application.properties,
 * with a free port and an in-memory database): a genuine Honeybee webhook, Honeybee's published example
 * (its body, registered URL, signing secret and signature, copied from Honeybee's examples and signed by
 * no code here), arrives over the application's own HTTP server and is processed.
 */
class HoneybeeInCamelMainTest {

    // github.com/Honeybee-Health/event-signature-validation-examples: ruby/validate.rb and the others
    static final String PUBLISHED_URL = "https://webhook.site/bafb9675-e60a-4db3-ab3c-377061a12ed5";
    static final String PUBLISHED_SECRET = "test_secret";
    static final String PUBLISHED_SIGNATURE = "qQ0WU6unEWl3lfcxkBaWEW8z0xgK";
    static final String PUBLISHED_BODY = "{\"event_id\":\"5d62dca6-1ce3-4807-afc6-8cfaa47577c5\",\"event_type\":\"RX_RECEIVED\","
            + "\"patient_id\":\"v3y4od\",\"medication_requests\":[{\"id\":82,\"prescription_id\":82,\"active\":true,"
            + "\"patient_id\":\"v3y4od\",\"prescriber_name\":\"Dr. Jane Foster\",\"receive_date\":\"2023-05-10T16:16:58.469+00:00\","
            + "\"drug_name\":\"ATORVASTATIN 10MG TABLET\",\"ndc\":\"5976201551\",\"sig_text\":\"Take 1 tablet daily\","
            + "\"written_qty\":90,\"days_supply\":null,\"refills_left\":2,\"expire_date\":\"2023-06-12T14:15:22Z\",\"drug_schedule\":4}]}";

    private static final String DB_URL = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Main main;
    private static int port;

    @BeforeAll
    static void startTheApplication() throws Exception {
        port = freePort();
        main = new Main(PartnerCamelApplication.class);
        // what differs in this test from the application's own properties: the port, the database, and the partner
        // being the one of Honeybee's published example
        main.addOverrideProperty("camel.server.port", String.valueOf(port));
        main.addOverrideProperty("honeybee.db.url", DB_URL);
        main.addOverrideProperty("honeybee.webhook.public-url", PUBLISHED_URL);
        main.addOverrideProperty("honeybee.webhook.signing-secrets", PUBLISHED_SECRET);
        main.addOverrideProperty("honeybee.ops.token", "camel-main-test-ops-token");
        main.start();
    }

    @AfterAll
    static void stopTheApplication() {
        main.stop();
    }

    @Test
    void honeybeesPublishedWebhookIsAcknowledgedAndProcessed() throws Exception {
        HttpResponse<String> response = post(PUBLISHED_BODY, PUBLISHED_SIGNATURE);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"status\":\"accepted\",\"event_id\":\"5d62dca6-1ce3-4807-afc6-8cfaa47577c5\"}", response.body());
        await().atMost(Duration.ofSeconds(30)).until(() -> "PROCESSED".equals(
                queryOne("SELECT status FROM inbox WHERE event_id = '5d62dca6-1ce3-4807-afc6-8cfaa47577c5'")));
        assertEquals("ATORVASTATIN 10MG TABLET", queryOne("SELECT drug_name FROM prescription WHERE prescription_id = 82"));
        // the ops API (REST DSL, routes/server-ops-api.camel.yaml) answers on the application's server too
        HttpResponse<String> prescriptions = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/prescriptions"))
                .header("Authorization", "Bearer camel-main-test-ops-token").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, prescriptions.statusCode(), prescriptions.body());
        assertTrue(prescriptions.body().contains("\"prescription_id\":\"82\""), prescriptions.body());
    }

    @Test
    void aBodyThePublishedSignatureDoesNotCoverIsRefusedAndNotStored() throws Exception {
        String otherEvent = PUBLISHED_BODY.replace("5d62dca6-1ce3-4807-afc6-8cfaa47577c5", "0b1c2d3e-0000-4000-8000-000000000001");

        HttpResponse<String> response = post(otherEvent, PUBLISHED_SIGNATURE);

        assertEquals(401, response.statusCode(), response.body());
        assertNull(queryOne("SELECT status FROM inbox WHERE event_id = '0b1c2d3e-0000-4000-8000-000000000001'"));
    }

    @Test
    void theHostKeepsItsContextNameAndItsLogging() {
        assertEquals("partner-camel", main.getCamelContext().getName());
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertNotNull(logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("PARTNER_CAMEL_CONSOLE"));
        assertNull(System.getProperty("logback.configurationFile"));
    }

    private static HttpResponse<String> post(String body, String signature) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/partner/honeybee/webhooks"))
                .header("Content-Type", "application/json")
                .header("X-Honeybee-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String queryOne(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(DB_URL, "sa", "");
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
