package com.example.honeybee.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.example.honeybee.api.PartnerApiCheck;
import com.example.honeybee.HoneybeeMain;
import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.webhook.SignatureVerifier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real camel-main application, started in-process on a free port with a database of its own, and
 * an HTTP client that talks to it the way Honeybee does.
 */
public final class RunningBundle implements AutoCloseable {

    public static final String SECRET = "test-signing-secret";
    public static final String ROTATED_SECRET = "rotated-signing-secret";

    private final Main main;
    private final int port;
    private final String dbUrl;
    private static final int MAX_DEFERRALS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger deferredDeliveries = new AtomicInteger();

    private RunningBundle(Main main, int port, String dbUrl) {
        this.main = main;
        this.port = port;
        this.dbUrl = dbUrl;
    }

    /** A bundle on a fresh in-memory H2 database. */
    public static RunningBundle start(Map<String, String> overrides) {
        return start("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", overrides);
    }

    public static RunningBundle start(String dbUrl, Map<String, String> overrides) {
        int port = freePort();
        Map<String, String> properties = new HashMap<>();
        properties.put("honeybee.http.port", String.valueOf(port));
        properties.put("honeybee.db.url", dbUrl);
        properties.put("honeybee.webhook.signing-secrets", SECRET + "," + ROTATED_SECRET);
        properties.put("honeybee.inbox.poll-delay-ms", "50");
        properties.put("honeybee.retry.delay-ms", "10");
        properties.put("honeybee.sandbox.enabled", "true");
        properties.put("honeybee.sandbox.signing-secret", SECRET);
        properties.put("honeybee.sandbox.step-ms", "150");
        properties.put("honeybee.oauth.client-id", "test-client");
        properties.put("honeybee.oauth.client-secret", "test-client-secret");
        properties.put("honeybee.outbox.poll-delay-ms", "50");
        properties.put("honeybee.outbox.retry-base-ms", "50");
        properties.putAll(overrides);
        Main main = HoneybeeMain.create(null, properties);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("bundle did not start", e);
        }
        // the Partner API check runs in the background; against its own sandbox a test starts once the check has
        // passed or found a misconfiguration, as an operator would watch readiness (a test that points the API
        // elsewhere watches the check itself)
        if (Boolean.parseBoolean(properties.getOrDefault("honeybee.startup.verify-partner-api", "true"))
                && !overrides.containsKey("honeybee.api.url")) {
            PartnerApiCheck check = main.getCamelContext().getRegistry().lookupByNameAndType("honeybeePartnerApiCheck", PartnerApiCheck.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> check.state() == PartnerApiCheck.State.READY
                    || check.state() == PartnerApiCheck.State.MISCONFIGURED);
        }
        return new RunningBundle(main, port, dbUrl);
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String dbUrl() {
        return dbUrl;
    }

    public Sql sql() {
        return context().getRegistry().lookupByNameAndType("honeybeeSql", Sql.class);
    }

    public String webhookUrl() {
        return "http://localhost:" + port + "/webhooks/honeybee";
    }

    public int port() {
        return port;
    }

    /** A signed webhook, delivered as {@link #post} does. */
    public HttpResponse<String> postSigned(byte[] body) {
        return post(body, signedHeaders(body));
    }

    /** A signed webhook, POSTed once: for tests of the 503 + Retry-After answer itself. */
    public HttpResponse<String> postSignedOnce(byte[] body) {
        return postOnce(body, signedHeaders(body));
    }

    /**
     * POSTs to the webhook endpoint as Honeybee would ({@link Redelivery}): a 503 with Retry-After, which intake's
     * admission control answers while processing is behind, is sent again after the wait, up to
     * {@value #MAX_DEFERRALS} times. Answers the last response; {@link #deferredDeliveries()} counts the waits.
     */
    public HttpResponse<String> post(byte[] body, Map<String, String> headers) {
        try {
            Redelivery.Delivery<String> delivery = Redelivery.deliver(() -> postOnce(body, headers), MAX_DEFERRALS);
            deferredDeliveries.addAndGet(delivery.deferrals());
            return delivery.last();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One POST to the webhook endpoint, whatever the answer. */
    public HttpResponse<String> postOnce(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhookUrl()))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** How many 503 + Retry-After answers {@link #post} has waited out and sent again. */
    public int deferredDeliveries() {
        return deferredDeliveries.get();
    }

    private Map<String, String> signedHeaders(byte[] body) {
        return Map.of("Content-Type", "application/json", "X-Honeybee-Signature", SignatureVerifier.sign(SECRET, "POST", webhookUrl(), body));
    }

    /** A GET of a path on the bundle's server ({@code /observe/health/ready}, {@code /ops}). */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void awaitStatus(String eventId, InboxStatus status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sql().queryOne("SELECT status FROM inbox WHERE event_id = ?",
                row -> row.getString(1), eventId).filter(status.name()::equals).isPresent());
    }

    public void awaitStatus(List<String> eventIds, InboxStatus status) {
        eventIds.forEach(id -> awaitStatus(id, status));
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("bundle did not stop", e);
        }
    }

    public static byte[] payload(String name) {
        try (InputStream in = RunningBundle.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture payloads/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture with its event_id replaced, so one fixture can stand for many distinct events. */
    public static byte[] payload(String name, String eventId) {
        String json = new String(payload(name), java.nio.charset.StandardCharsets.UTF_8);
        return json.replaceFirst("\"event_id\": \"[^\"]+\"", "\"event_id\": \"" + eventId + "\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
