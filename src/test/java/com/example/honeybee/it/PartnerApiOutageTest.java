package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.webhook.SignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook intake never waits for the Partner API: the bundle starts and acknowledges events while Honeybee's
 * API (or its token endpoint) is unreachable or refuses the configuration; fills wait in the outbox until
 * the Partner API check passes; readiness and the ops API say which it is.
 */
class PartnerApiOutageTest extends SandboxBundleTestSupport {

    private static final String TOKEN = "outage-ops-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return ((com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(answer.body())).put("http_status", answer.statusCode());
    }

    /** The honeybee-database readiness check's details. */
    private static JsonNode readiness(int port) throws Exception {
        JsonNode ready = get(port, "/observe/health/ready?data=true", null);
        assertThat(ready.path("http_status").asInt()).as("readiness answers 200 whatever the Partner API does").isEqualTo(200);
        for (JsonNode check : ready.path("checks")) {
            if (check.path("name").asText().equals("honeybee-database")) {
                return check.path("data");
            }
        }
        throw new AssertionError("no honeybee-database readiness check in " + ready);
    }

    private Map<String, String> unreachableApi(int honeybeePort) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("honeybee.api.url", "http://localhost:" + honeybeePort + "/sandbox/v1");
        overrides.put("honeybee.oauth.token-url", "http://localhost:" + honeybeePort + "/sandbox/oauth/token");
        overrides.put("honeybee.ops.token", TOKEN);
        overrides.put("honeybee.fill.policy", "auto");
        // the check and the outbox back off to at most a second, so the test sees the API come back quickly
        overrides.put("honeybee.outbox.retry-max-ms", "1000");
        return overrides;
    }

    @Test
    void aFillAcknowledgedWhileThePartnerApiIsUnreachableWaitsAndIsPlacedOnceItAnswers() throws Exception {
        int honeybeePort = freePort();
        start(unreachableApi(honeybeePort));
        life.partnerPatient(HONEE);
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> ops.get("/partner-api").body().path("attempts").asInt() >= 2);
        assertThat(readiness(bundle.port()).path("partner_api").asText()).isEqualTo("unavailable");

        // RX_RECEIVED from Honeybee (the sandbox delivers it): acknowledged and processed; auto policy puts fill 1 in the outbox
        long rx = life.prescribe(HONEE);
        await().atMost(Duration.ofSeconds(20)).until(() -> life.fill(rx, 1).isPresent());
        int checks = ops.get("/partner-api").body().path("attempts").asInt();
        await().atMost(Duration.ofSeconds(20)).until(() -> ops.get("/partner-api").body().path("attempts").asInt() >= checks + 2);
        assertThat(life.fill(rx, 1).orElseThrow()).satisfies(f -> {
            assertThat(f.status()).isEqualTo(FillStatus.PENDING);
            assertThat(f.attempts()).as("held, not tried against an API that does not answer").isZero();
        });
        assertThat(ops.get("/partner-api").body().path("state").asText()).isEqualTo("unavailable");

        try (HttpForwarder honeybee = HttpForwarder.start(honeybeePort, "http://localhost:" + bundle.port())) {
            String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();

            assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(order);
            assertThat(readiness(bundle.port()).path("partner_api").asText()).isEqualTo("ready");
        }
    }

    @Test
    void credentialsRefusedWithInvalidClientAreMisconfiguredLoggedOnceAndIntakeKeepsRunning() throws Exception {
        try (LogCapture log = LogCapture.attach()) {
            // the sandbox expects another secret: its token endpoint answers 401 {"error":"invalid_client"}
            start(Map.of("honeybee.sandbox.client-secret", "the-secret-honeybee-issued", "honeybee.ops.token", TOKEN,
                    "honeybee.outbox.retry-max-ms", "200"));
            OpsClient ops = new OpsClient(bundle.port(), TOKEN);
            await().atMost(Duration.ofSeconds(20)).until(() -> ops.get("/partner-api").body().path("attempts").asInt() >= 4);

            JsonNode check = ops.get("/partner-api").body();
            assertThat(check.path("state").asText()).isEqualTo("misconfigured");
            assertThat(check.path("message").asText()).contains("401 invalid_client").contains("honeybee.oauth.client-id")
                    .doesNotContain("test-client-secret");
            assertThat(readiness(bundle.port()).path("partner_api").asText()).isEqualTo("misconfigured");
            assertThat(log.text().lines().filter(l -> l.startsWith("Partner API misconfigured"))).as("logged once, not per retry")
                    .hasSize(1);
            assertThat(bundle.postSigned(RunningBundle.payload("rx-received.json")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnknownShippingMethodIsMisconfiguredAndHoldsTheFills() throws Exception {
        start(Map.of("honeybee.shipping.method-id", "99", "honeybee.ops.token", TOKEN, "honeybee.outbox.retry-max-ms", "200"));
        life.partnerPatient(HONEE);
        OpsClient ops = new OpsClient(bundle.port(), TOKEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> "misconfigured".equals(ops.get("/partner-api").body().path("state").asText()));

        assertThat(ops.get("/partner-api").body().path("message").asText())
                .contains("honeybee.shipping.method-id=99 is not one of Honeybee's shipping methods");
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        int checks = ops.get("/partner-api").body().path("attempts").asInt();
        await().atMost(Duration.ofSeconds(20)).until(() -> ops.get("/partner-api").body().path("attempts").asInt() >= checks + 2);
        assertThat(life.fill(rx, 1).orElseThrow().attempts()).as("held in the outbox, not dead-lettered").isZero();
        assertThat(life.sandbox().orderPosts()).isZero();
    }

    @Test
    void theStandaloneApplicationStartsAndAcknowledgesWebhooksWithThePartnerApiUnreachable() throws Exception {
        int port = freePort();
        int honeybeePort = freePort();
        Map<String, String> properties = new HashMap<>(unreachableApi(honeybeePort));
        properties.put("honeybee.db.url", "jdbc:h2:file:" + dir.resolve("honeybee") + ";WRITE_DELAY=0");
        properties.put("honeybee.webhook.signing-secrets", RunningBundle.SECRET);
        properties.put("honeybee.oauth.client-id", "test-client");
        properties.put("honeybee.oauth.client-secret", "test-client-secret");
        BundleProcess process = new BundleProcess(port, properties, dir.resolve("standalone.log"));
        try {
            process.start();
            byte[] event = RunningBundle.payload("rx-received.json");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(process.webhookUrl()))
                    .header("Content-Type", "application/json")
                    .header("X-Honeybee-Signature", SignatureVerifier.sign(RunningBundle.SECRET, "POST", process.webhookUrl(), event))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"status\":\"accepted\"");

            await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/api/partner-api", TOKEN).path("attempts").asInt() >= 3);
            assertThat(process.isAlive()).as("still running while the Partner API is unreachable").isTrue();
            assertThat(readiness(port).path("partner_api").asText()).isEqualTo("unavailable");
        } finally {
            process.stop();
        }
    }
}
