package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.webhook.SignatureVerifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No header, query parameter or form field from outside sets a header the bundle reads (issue 12, item 1).
 * The generated part collects every internal name the code and the routes use (Honeybee*, Camel*, plus the
 * HTTP headers that carry credentials and the content type) and sends all of them, with values chosen to
 * take effect if read (an allowed source address, the real ops and sandbox tokens, a 200 status), as
 * headers, as query parameters and as form fields to every HTTP entry, and expects each entry to answer
 * exactly as it does without them.
 */
class HttpEntryInjectionTest {

    private static final String OPS_TOKEN = "ops-entry-token";
    private static final String ALLOWED_SOURCE = "203.0.113.5";
    private static final Pattern INTERNAL_NAME = Pattern.compile("\\b((?:Honeybee|Camel)[A-Z][A-Za-z]+)\\b");
    /** Real HTTP headers the bundle reads: legitimate as headers, never as parameters. */
    private static final Set<String> HTTP_HEADERS_READ = Set.of("Authorization", "Content-Type", HoneybeeHeaders.SIGNATURE,
            HoneybeeHeaders.SHARED_SECRET);

    private static RunningBundle bundle;
    private static String sandboxToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    enum Mode { HEADER, QUERY, FORM }

    /** One HTTP entry: a request that works without injected names, and what it answers then. */
    record Entry(String name, String method, String path, String contentType, byte[] body, Map<String, String> headers) {
    }

    @BeforeAll
    static void start() throws Exception {
        // the allowlist leaves out the test's own address (loopback): only a forged source could pass it
        bundle = RunningBundle.start(Map.of("honeybee.webhook.allow-cidrs", "203.0.113.0/24", "honeybee.ops.token", OPS_TOKEN));
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=test-client&client_secret=test-client-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        sandboxToken = new ObjectMapper().readTree(token.body()).path("access_token").asText();
        assertThat(sandboxToken).isNotBlank();
    }

    @AfterAll
    static void stop() {
        bundle.close();
    }

    @Test
    void theSourceAllowlistReadsTheConnectionNotAHeaderOrQueryParameter() throws Exception {
        byte[] body = RunningBundle.payload("rx-received.json", "entry-" + System.nanoTime());
        Map<String, String> signed = Map.of("Content-Type", "application/json",
                "X-Honeybee-Signature", SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body));

        assertThat(bundle.post(body, signed).statusCode()).isEqualTo(403);
        Map<String, String> forged = new java.util.HashMap<>(signed);
        forged.put("HoneybeeRemoteAddress", ALLOWED_SOURCE);
        assertThat(bundle.post(body, forged).statusCode()).isEqualTo(403);
        HttpResponse<String> viaQuery = send(new Entry("webhook", "POST", "/webhooks/honeybee?HoneybeeRemoteAddress=" + ALLOWED_SOURCE,
                "application/json", body, Map.of("X-Honeybee-Signature", signed.get("X-Honeybee-Signature"))), Map.of(), Mode.HEADER);
        assertThat(viaQuery.statusCode()).isEqualTo(403);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox")).isZero();
    }

    @Test
    void theOpsTokenIsReadOnlyFromTheAuthorizationHeader() throws Exception {
        String bearer = "Bearer " + OPS_TOKEN;
        assertThat(get("/api/prescriptions", Map.of("Authorization", bearer)).statusCode()).isEqualTo(200);
        assertThat(get("/api/prescriptions?Authorization=" + URLEncoder.encode(bearer, StandardCharsets.UTF_8), Map.of()).statusCode())
                .isEqualTo(401);
        HttpResponse<String> viaForm = send(new Entry("ops", "POST", "/api/dead-letters/1/replay", "application/x-www-form-urlencoded",
                ("Authorization=" + URLEncoder.encode(bearer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), Map.of()),
                Map.of(), Mode.HEADER);
        assertThat(viaForm.statusCode()).isEqualTo(401);
    }

    @Test
    void noInternalNameSentAsHeaderQueryParameterOrFormFieldTakesEffectAtAnyEntry() throws Exception {
        Set<String> internal = internalNames();
        // the collection itself is checked against names known to be read, so a broken scan cannot pass quietly
        assertThat(internal).contains("HoneybeeRemoteAddress", "HoneybeeEventId", "HoneybeeInboxOutcome", "HoneybeePrescriptionId",
                "CamelHttpResponseCode", "CamelHttpQuery", VertxPlatformHttpConstants.REMOTE_ADDRESS, "Authorization");
        List<String> values = List.of(ALLOWED_SOURCE, "Bearer " + OPS_TOKEN, "Bearer " + sandboxToken, "200");

        int requests = 0;
        for (Entry entry : entries()) {
            HttpResponse<String> baseline = send(entry, Map.of(), Mode.HEADER);
            for (Mode mode : Mode.values()) {
                if (mode == Mode.FORM && !"application/x-www-form-urlencoded".equals(entry.contentType())) {
                    continue; // a form is a POST body: entries without one (GET) or with a JSON body are covered by the other modes
                }
                List<String> names = internal.stream().filter(n -> mode != Mode.HEADER || !HTTP_HEADERS_READ.contains(n)).toList();
                for (String value : values) {
                    for (List<String> batch : batches(names, 20)) {
                        Map<String, String> injected = batch.stream().collect(Collectors.toMap(n -> n, n -> value));
                        HttpResponse<String> answer = send(entry, injected, mode);
                        requests++;
                        assertThat(answer.statusCode()).as("%s with %s %s=%s", entry.name(), mode, batch, value)
                                .isEqualTo(baseline.statusCode());
                        if (entry.name().startsWith("ops-page") || entry.name().startsWith("ops-api-authorized")) {
                            assertThat(answer.body()).as("%s with %s %s", entry.name(), mode, batch).isEqualTo(baseline.body());
                        }
                        assertThat(answer.headers().map().keySet()).as("%s echoes no injected name", entry.name())
                                .noneMatch(h -> batch.stream().anyMatch(h::equalsIgnoreCase) && HTTP_HEADERS_READ.stream().noneMatch(h::equalsIgnoreCase));
                    }
                }
            }
        }
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM inbox")).as("no webhook got past the allowlist").isZero();
        new Figures("HttpEntryInjectionTest").put("internal names", internal.size()).put("entries", entries().size())
                .put("modes", "header, query parameter, form field").put("values per name", values.size())
                .put("requests", requests).put("answers that differed from the entry's own", 0).write();
    }

    /** Every entry, each with a request that is complete without injected names. */
    private static List<Entry> entries() {
        byte[] body = RunningBundle.payload("rx-received.json", "entry-generated");
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body);
        byte[] form = "note=1".getBytes(StandardCharsets.UTF_8);
        String formType = "application/x-www-form-urlencoded";
        return List.of(
                new Entry("webhook (signed, source not allowed)", "POST", "/webhooks/honeybee", "application/json", body,
                        Map.of("X-Honeybee-Signature", signature)),
                new Entry("webhook form", "POST", "/webhooks/honeybee", formType, form, Map.of()),
                new Entry("ops-api without token", "GET", "/api/prescriptions", null, null, Map.of()),
                new Entry("ops-api action without token", "POST", "/api/dead-letters/1/replay", formType, form, Map.of()),
                new Entry("ops-api-authorized", "GET", "/api/prescriptions", null, null, Map.of("Authorization", "Bearer " + OPS_TOKEN)),
                new Entry("ops-page", "GET", "/ops", null, null, Map.of()),
                new Entry("sandbox without token", "GET", "/sandbox/v1/shipping_methods", null, null, Map.of()),
                new Entry("sandbox oauth with wrong secret", "POST", "/sandbox/oauth/token", formType,
                        "grant_type=client_credentials&client_id=test-client&client_secret=wrong".getBytes(StandardCharsets.UTF_8), Map.of()),
                new Entry("health", "GET", "/observe/health/ready", null, null, Map.of()),
                new Entry("metrics", "GET", "/observe/metrics", null, null, Map.of()));
    }

    /**
     * The internal names: HoneybeeHeaders' constants, every Honeybee* and Camel* name the routes and the
     * main sources mention, Camel's HTTP header constants, and the HTTP headers the bundle reads.
     */
    static Set<String> internalNames() throws Exception {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Field field : HoneybeeHeaders.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }
        for (Path root : List.of(Path.of("routes"), Path.of("src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Matcher matcher = INTERNAL_NAME.matcher(Files.readString(file));
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        for (Class<?> constants : List.of(Exchange.class, VertxPlatformHttpConstants.class)) {
            for (Field field : constants.getFields()) {
                if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
                    String value = (String) field.get(null);
                    if (value.startsWith("CamelHttp") || value.startsWith("CamelVertx")) {
                        names.add(value);
                    }
                }
            }
        }
        // class and bean names the scan also finds are not header names, but sending them costs nothing
        names.addAll(HTTP_HEADERS_READ);
        return names;
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        return send(new Entry("get", "GET", path, null, null, headers), Map.of(), Mode.HEADER);
    }

    private HttpResponse<String> send(Entry entry, Map<String, String> injected, Mode mode) throws IOException, InterruptedException {
        String path = entry.path();
        byte[] body = entry.body();
        String contentType = entry.contentType();
        if (mode == Mode.QUERY && !injected.isEmpty()) {
            path += (path.contains("?") ? "&" : "?") + encode(injected);
        } else if (mode == Mode.FORM && !injected.isEmpty()) {
            String fields = encode(injected);
            body = (body == null ? fields : new String(body, StandardCharsets.UTF_8) + "&" + fields).getBytes(StandardCharsets.UTF_8);
            contentType = "application/x-www-form-urlencoded";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .method(entry.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        entry.headers().forEach(request::header);
        if (mode == Mode.HEADER) {
            injected.forEach(request::header);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static List<List<String>> batches(List<String> names, int size) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < names.size(); i += size) {
            batches.add(names.subList(i, Math.min(names.size(), i + size)));
        }
        return batches;
    }

    private static String base() {
        return "http://localhost:" + bundle.port();
    }
}
