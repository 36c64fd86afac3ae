package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.example.honeybee.webhook.SignatureVerifier;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzzer over the webhook endpoint: thousands of requests, most of them broken in one of
 * the ways a sender or an attacker breaks them. Every answer is 4xx, or 200 for a valid event; never
 * 5xx; the server stays ready; no invalid request is stored or processed.
 * Size: -Dreliability.fuzz.requests (default 3000); seed: -Dreliability.fuzz.seed (default 20261124).
 */
class BadInputFuzzTest {

    private enum Kind { VALID, UNKNOWN_TYPE, TRUNCATED, GARBAGE, WRONG_TYPES, HUGE_STRING, HUGE_ARRAY, DEEP_NESTING, MISSING_FIELD,
        INVALID_UTF8, WRONG_SIGNATURE, REPLAYED_SIGNATURE, OVERSIZE, WRONG_CONTENT_TYPE, MUTATED }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void brokenRequestsAreRefusedWith4xxAndNoneIsProcessed() throws Exception {
        int requests = Figures.size("reliability.fuzz.requests", 3000);
        Random random = new Random(Long.getLong("reliability.fuzz.seed", 20261124L));
        Map<Kind, int[]> byKind = new TreeMap<>();
        List<String> acceptedIds = new ArrayList<>();
        List<String> refusedIds = new ArrayList<>();
        int fiveHundreds = 0;
        byte[] base = RunningBundle.payload("rx-received.json");
        try (RunningBundle bundle = RunningBundle.start(Map.of("honeybee.sandbox.step-ms", "600000"))) {
            for (int i = 0; i < requests; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                String eventId = "fz-" + i;
                byte[] body = body(kind, eventId, base, random);
                String contentType = kind == Kind.WRONG_CONTENT_TYPE ? pick(random, "text/plain", "application/xml", "application/jsonx", "") : "application/json";
                String signature = switch (kind) {
                    case WRONG_SIGNATURE -> SignatureVerifier.sign("attacker-secret", "POST", bundle.webhookUrl(), body);
                    case REPLAYED_SIGNATURE -> SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), base);
                    default -> SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body);
                };
                Map<String, String> headers = contentType.isEmpty() ? Map.of("X-Honeybee-Signature", signature)
                        : Map.of("X-Honeybee-Signature", signature, "Content-Type", contentType);
                int status = bundle.post(body, headers).statusCode();
                byKind.computeIfAbsent(kind, k -> new int[3])[status >= 500 ? 2 : status == 200 ? 0 : 1]++;
                if (status >= 500) {
                    fiveHundreds++;
                }
                boolean mustRefuse = kind != Kind.VALID && kind != Kind.UNKNOWN_TYPE && kind != Kind.MUTATED;
                if (status == 200 && !mustRefuse) {
                    acceptedIds.add(eventId);
                }
                if (mustRefuse) {
                    assertThat(status).as("%s request %d", kind, i).isBetween(400, 499);
                    refusedIds.add(eventId);
                }
            }

            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + bundle.port() + "/observe/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            long refusedButStored = refusedIds.stream().filter(id -> bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id = ?", id) > 0).count();
            // every accepted event reaches a final state (processed, or kept as an unknown type)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") == 0);
            long deadLetters = bundle.sql().count("SELECT COUNT(*) FROM dead_letter");
            StringBuilder kinds = new StringBuilder();
            byKind.forEach((k, c) -> kinds.append("\n    ").append(k).append(": 200=").append(c[0]).append(" 4xx=").append(c[1]).append(" 5xx=").append(c[2]));
            new Figures("bad-input").put("requests", requests).put("5xx answers", fiveHundreds)
                    .put("deferred by admission control (503 + Retry-After, sent again)", bundle.deferredDeliveries())
                    .put("refused requests stored anyway", refusedButStored).put("accepted (valid, unknown type, harmless mutations)", acceptedIds.size())
                    .put("dead letters after processing", deadLetters).put("by kind (200 / 4xx / 5xx)", kinds).write();

            assertThat(fiveHundreds).isZero();
            assertThat(refusedButStored).isZero();
            assertThat(deadLetters).as("an accepted event that its flow could not process").isZero();
        }
    }

    private static byte[] body(Kind kind, String eventId, byte[] base, Random random) {
        String valid = new String(base, StandardCharsets.UTF_8).replace("a7a26ff2-e851-45b6-9634-d595f45458b7", eventId)
                .replace("183601", String.valueOf(900_000 + random.nextInt(100_000)));
        return switch (kind) {
            case VALID -> utf8(valid);
            case UNKNOWN_TYPE -> utf8("{\"event_id\":\"" + eventId + "\",\"event_type\":\"PATIENT_" + random.nextInt(1000) + "\",\"patient_id\":\"p\"}");
            case TRUNCATED -> Arrays.copyOf(utf8(valid), 1 + random.nextInt(valid.length() - 2));
            case GARBAGE -> { byte[] b = new byte[1 + random.nextInt(300)]; random.nextBytes(b); yield b; }
            case WRONG_TYPES -> utf8(pick(random,
                    "{\"event_id\":" + random.nextInt() + ",\"event_type\":\"RX_RECEIVED\",\"patient_id\":\"p\"}",
                    valid.replace("\"medication_requests\": [", "\"medication_requests\": {\"x\": [").replace("]\n}", "]}\n}"),
                    valid.replace("\"id\": ", "\"id\": \"").replace(",\n      \"prescription_id\"", "\",\n      \"prescription_id\"").replace("\"prescription_id\": ", "\"prescription_id\": true, \"x\": "),
                    valid.replace("\"refills_left\": 11", "\"refills_left\": \"eleven\""),
                    valid.replace("\"expire_date\": \"2025-03-13T17:00:00.000-07:00\"", "\"expire_date\": \"next spring\""),
                    "[1,2,3]", "\"just a string\"", "null", "42"));
            case HUGE_STRING -> utf8(valid.replace("\"" + eventId + "\"", "\"" + "x".repeat(10_000 + random.nextInt(200_000)) + "\""));
            case HUGE_ARRAY -> utf8("{\"event_id\":\"" + eventId + "\",\"event_type\":\"RX_RECEIVED\",\"patient_id\":\"p\",\"medication_requests\":["
                    + "\"nope\",".repeat(20_000 + random.nextInt(50_000)) + "\"nope\"]}");
            case DEEP_NESTING -> { int depth = 1_500 + random.nextInt(5_000); yield utf8("{\"event_id\":\"" + eventId + "\",\"event_type\":\"RX_RECEIVED\",\"x\":"
                    + "[".repeat(depth) + "]".repeat(depth) + "}"); }
            case MISSING_FIELD -> utf8(pick(random, valid.replace("\"event_id\": \"" + eventId + "\",", ""),
                    valid.replace("\"event_type\": \"RX_RECEIVED\",", ""), valid.replace("\"patient_id\": \"ay87nt\",", ""),
                    valid.replace("\"medication_requests\"", "\"medication_requestz\"")));
            case INVALID_UTF8 -> { byte[] b = utf8(valid); b[40 + random.nextInt(b.length - 80)] = (byte) (0xC0 | random.nextInt(2)); yield b; }
            case WRONG_SIGNATURE, REPLAYED_SIGNATURE, WRONG_CONTENT_TYPE -> utf8(valid);
            case OVERSIZE -> { byte[] b = new byte[1_048_577 + random.nextInt(500_000)]; Arrays.fill(b, (byte) ' '); yield b; }
            case MUTATED -> { byte[] b = utf8(valid); for (int m = 0; m < 1 + random.nextInt(4); m++) { b[random.nextInt(b.length)] = (byte) (32 + random.nextInt(95)); } yield b; }
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
