package com.example.partnerhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The partner's Spring Boot application with honeybee-partner-routes added as one dependency: a webhook
 * signed as Honeybee signs it arrives over the host's own web server, is acknowledged, and is processed
 * into the host's own database, next to the host's tables and Flyway history; the host keeps its
 * CamelContext name, its logging and its own "metrics" bean, which the bundle never calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // what the environment gives the application in production
        "honeybee.webhook.signing-secrets=host-test-signing-secret",
        "honeybee.ops.token=host-test-ops-token",
        // only this machine may POST: the source is the address the servlet container saw
        "honeybee.webhook.allow-cidrs=127.0.0.0/8, ::1/128",
        // the bundle's header filter on its webhook endpoint, on the host's servlet engine (no Vert.x on the class path)
        "honeybee.webhook.consumer-uri=platform-http:{{honeybee.webhook.path}}?httpMethodRestrict=POST&headerFilterStrategy=#honeybeeHttpHeaderFilter"})
class HoneybeeInSpringBootTest {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camelContext;
    @Autowired
    JdbcTemplate hostDatabase;
    @Autowired
    HostMetrics hostMetrics;
    @Value("${honeybee.webhook.signing-secrets}")
    String signingSecret;
    @Value("${honeybee.webhook.public-url}")
    String publicUrl;
    @Value("${honeybee.webhook.path}")
    String webhookPath;
    @Value("${honeybee.ops.token}")
    String opsToken;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theIndependentSignerReproducesHoneybeesPublishedVector() throws Exception {
        // from Honeybee's examples (ruby/validate.rb and the others print it)
        String url = "https://webhook.site/bafb9675-e60a-4db3-ab3c-377061a12ed5";
        String body = "{\"event_id\":\"5d62dca6-1ce3-4807-afc6-8cfaa47577c5\",\"event_type\":\"RX_RECEIVED\","
                + "\"patient_id\":\"v3y4od\",\"medication_requests\":[{\"id\":82,\"prescription_id\":82,\"active\":true,"
                + "\"patient_id\":\"v3y4od\",\"prescriber_name\":\"Dr. Jane Foster\",\"receive_date\":\"2023-05-10T16:16:58.469+00:00\","
                + "\"drug_name\":\"ATORVASTATIN 10MG TABLET\",\"ndc\":\"5976201551\",\"sig_text\":\"Take 1 tablet daily\","
                + "\"written_qty\":90,\"days_supply\":null,\"refills_left\":2,\"expire_date\":\"2023-06-12T14:15:22Z\",\"drug_schedule\":4}]}";
        assertThat(HoneybeeSignature.sign("test_secret", url, body)).isEqualTo("qQ0WU6unEWl3lfcxkBaWEW8z0xgK");
    }

    @Test
    void aSignedWebhookOverTheHostsServerIsProcessedIntoTheHostsDatabase() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String body = fixture("rx-received.json").replaceFirst("\"event_id\": \"[^\"]+\"", "\"event_id\": \"" + eventId + "\"");

        HttpResponse<String> response = post(body, HoneybeeSignature.sign(signingSecret, publicUrl, body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"accepted\",\"event_id\":\"" + eventId + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> "PROCESSED".equals(
                hostDatabase.queryForObject("SELECT status FROM inbox WHERE event_id = ?", String.class, eventId)));
        assertThat(hostDatabase.queryForObject(
                "SELECT COUNT(*) FROM prescription WHERE prescription_id = 183601 AND refills_left = 11", Integer.class)).isEqualTo(1);
        // two Flyway histories side by side in the host's database (Flyway quotes their lower-case names on H2)
        assertThat(hostDatabase.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"type\" = 'SQL'", String.class))
                .containsExactly("V1__partner_host.sql");
        assertThat(hostDatabase.queryForList("SELECT \"script\" FROM \"honeybee_schema_history\" WHERE \"success\"", String.class))
                .contains("V1__inbox.sql").doesNotContain("V1__partner_host.sql");
        assertThat(hostDatabase.queryForObject("SELECT COUNT(*) FROM partner_appointment", Integer.class)).isZero();
        // the bundle's routes call its own honeybeeMetrics, never the host's bean named metrics
        assertThat(hostMetrics.calls()).isZero();
        // the ops API (REST DSL, routes/server-ops-api.camel.yaml) answers on the host's web server too
        HttpResponse<String> prescriptions = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/prescriptions"))
                .header("Authorization", "Bearer " + opsToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(prescriptions.statusCode()).isEqualTo(200);
        assertThat(prescriptions.body()).contains("183601");
    }

    @Test
    void aWebhookWithAWrongSignatureIsRefusedAndNotStored() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String body = fixture("rx-received.json").replaceFirst("\"event_id\": \"[^\"]+\"", "\"event_id\": \"" + eventId + "\"");

        HttpResponse<String> response = post(body, HoneybeeSignature.sign("not-the-signing-secret", publicUrl, body));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("X-Honeybee-Signature");
        assertThat(hostDatabase.queryForObject("SELECT COUNT(*) FROM inbox WHERE event_id = ?", Integer.class, eventId)).isZero();
    }

    @Test
    void theHostKeepsItsCamelContextNameAndItsLogging() {
        assertThat(camelContext.getName()).isEqualTo("partner-host-camel");
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        // the host's logback-spring.xml: its appender on the root logger, its levels; nothing of the standalone app's logback.xml
        assertThat(logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("PARTNER_HOST_CONSOLE")).isNotNull();
        assertThat(logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
        assertThat(logging.getLogger("org.apache.camel").getLevel()).isEqualTo(Level.WARN);
        assertThat(System.getProperty("logback.configurationFile")).isNull();
    }

    private HttpResponse<String> post(String body, String signature) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + webhookPath))
                .header("Content-Type", "application/json")
                .header("X-Honeybee-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String fixture(String name) throws Exception {
        try (InputStream in = HoneybeeInSpringBootTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
