package com.example.honeybee.it;

import static com.example.honeybee.it.JsonMutation.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.example.honeybee.webhook.EventType;
import com.example.honeybee.webhook.FieldSpec;
import com.example.honeybee.webhook.WebhookFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generated boundary test of webhook intake and processing: for every event type it walks every
 * field the catalogue declares, and every other leaf of a full sample event, and puts each boundary
 * value there (at the limit and one past it, huge and negative numbers, exponents, U+0000, lone
 * surrogates, control and invisible characters, wrong JSON types, null, absent). Each input is signed
 * and POSTed to the running bundle. The rule it checks comes from the issue, not from the catalogue:
 * every input is answered 4xx, or stored and processed; none is answered 5xx, none ends DEAD.
 * Figures go to target/reliability/field-boundaries-DB.txt (docs/RELIABILITY.md).
 */
class FieldBoundaryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<EventType, String> BASES = Map.of(EventType.RX_RECEIVED, "rx-received.json",
            EventType.RX_UPDATED, "rx-updated.json", EventType.SHIPMENT_UPDATED, "shipment-updated.json",
            EventType.ORDER_EXCEPTION, "order-exception.json");
    /** Stands for "remove the member". */
    private static final String ABSENT = null;

    private RunningBundle bundle;
    /** Array literals one element over their field's cap: each must be refused. */
    private final Set<String> overCap = new LinkedHashSet<>();

    /** The bundle under test; the PostgreSQL variant starts it on PostgreSQL. */
    protected RunningBundle startBundle() {
        return RunningBundle.start(Map.of("honeybee.sandbox.step-ms", "600000"));
    }

    protected String databaseName() {
        return "h2";
    }

    @AfterEach
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    record Input(EventType type, String path, String literal, byte[] body) {
    }

    @Test
    void everyBoundaryValueOfEveryFieldIsRefusedWith4xxOrProcessed() throws Exception {
        bundle = startBundle();
        List<Input> inputs = inputs();
        Map<String, int[]> byType = new TreeMap<>();
        Map<String, String> acceptedIds = new LinkedHashMap<>();
        List<String> fiveHundreds = new ArrayList<>();
        int refused = 0;
        int refusedOverCap = 0;
        int duplicates = 0;
        for (Input input : inputs) {
            HttpResponse<String> answer = bundle.postSigned(input.body());
            int status = answer.statusCode();
            int[] counts = byType.computeIfAbsent(input.type().name(), t -> new int[3]);
            if (status >= 500) {
                fiveHundreds.add(input.type() + " " + input.path() + " = " + abbreviate(input.literal()) + " -> " + status);
            } else if (status >= 400) {
                refused++;
                refusedOverCap += overCap.contains(input.literal()) ? 1 : 0;
                counts[1]++;
            } else {
                assertThat(status).as(input.path()).isEqualTo(200);
                JsonNode body = MAPPER.readTree(answer.body());
                if (!body.path("status").asText().equals("accepted")) {
                    duplicates++; // an event_id value that another input used first: answered, and that first one is processed
                }
                acceptedIds.putIfAbsent(body.path("event_id").asText(), input.type() + " " + input.path() + " = " + abbreviate(input.literal()));
                counts[0]++;
            }
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") == 0);
        long processed = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status IN ('PROCESSED', 'UNKNOWN_TYPE')");
        long dead = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'DEAD'");
        List<String> deadInputs = bundle.sql().query("SELECT i.event_id, d.reason FROM inbox i JOIN dead_letter d ON d.ref_id = i.event_id"
                + " WHERE i.status = 'DEAD'", row -> acceptedIds.get(row.getString(1)) + ": " + row.getString(2));
        long stored = bundle.sql().count("SELECT COUNT(*) FROM inbox");

        StringBuilder perType = new StringBuilder();
        byType.forEach((type, c) -> perType.append("\n    ").append(type).append(": accepted ").append(c[0]).append(", answered 4xx ").append(c[1]));
        new Figures("field-boundaries-" + databaseName())
                .put("fields walked (declared / other leaves of the samples)", declaredPaths() + " / " + undeclaredPaths())
                .put("inputs tried", inputs.size())
                .put("answered 4xx", refused)
                .put("accepted (200)", inputs.size() - refused - fiveHundreds.size())
                .put("  of which a repeated event_id value (answered duplicate)", duplicates)
                .put("processed (stored events that reached PROCESSED or UNKNOWN_TYPE)", processed)
                .put("dead", dead)
                .put("5xx answers", fiveHundreds.size())
                .put("deferred by admission control (503 + Retry-After, sent again)", bundle.deferredDeliveries())
                .put("by event type", perType)
                .write();

        assertThat(fiveHundreds).as("inputs answered 5xx").isEmpty();
        assertThat(refusedOverCap).as("arrays one element over their cap, every one refused")
                .isEqualTo(inputs.stream().filter(input -> overCap.contains(input.literal())).count());
        assertThat(deadInputs).as("accepted inputs that ended as dead letters").isEmpty();
        assertThat(dead).isZero();
        assertThat(stored).as("only accepted inputs are stored, each once").isEqualTo(acceptedIds.size());
        assertThat(processed).isEqualTo(stored);
        assertThat(refused).as("the walk reaches values that must be refused").isPositive();
        assertThat(acceptedIds.size()).as("and values that must be processed").isGreaterThan(inputs.size() / 5);
    }

    /** Every (event type, path, boundary value), each in a copy of its type's full sample with ids of its own. */
    private List<Input> inputs() {
        List<Input> inputs = new ArrayList<>();
        for (EventType type : EventType.values()) {
            Map<String, FieldSpec> paths = new LinkedHashMap<>();
            for (WebhookFields.Declared declared : WebhookFields.all()) {
                if (declared.type() == null || declared.type() == type) {
                    paths.put(concrete(declared.path()), declared.field());
                }
            }
            byte[] sample = sample(type, 0);
            for (String leaf : JsonMutation.leafPaths(sample)) {
                paths.putIfAbsent(leaf, null);
            }
            for (Map.Entry<String, FieldSpec> path : paths.entrySet()) {
                for (String literal : values(path.getValue(), type, path.getKey())) {
                    int n = inputs.size() + 1;
                    inputs.add(new Input(type, path.getKey(), literal, JsonMutation.set(sample(type, n), path.getKey(), literal)));
                }
            }
        }
        return inputs;
    }

    private static long declaredPaths() {
        return WebhookFields.all().size();
    }

    private static long undeclaredPaths() {
        Set<String> declared = new LinkedHashSet<>();
        WebhookFields.all().forEach(d -> declared.add(concrete(d.path())));
        Set<String> other = new LinkedHashSet<>();
        for (EventType type : EventType.values()) {
            JsonMutation.leafPaths(sample(type, 0)).stream().filter(p -> !declared.contains(p)).forEach(p -> other.add(type + " " + p));
        }
        return other.size();
    }

    /** The boundary values for a field of this kind and these limits (a generic set where the catalogue declares nothing). */
    private List<String> values(FieldSpec field, EventType type, String path) {
        List<String> values = new ArrayList<>();
        values.add("null");
        values.add(ABSENT);
        values.addAll(List.of("true", "[]", "{}", "[\"x\"]", "{\"a\":1}"));
        FieldSpec.Kind kind = field == null ? FieldSpec.Kind.TEXT : field.kind();
        switch (kind) {
            case ID, TEXT -> {
                values.addAll(strings(field == null ? 40 : field.maxLength()));
                values.addAll(List.of("0", "-1", "1.5", "1e400"));
            }
            case DRUG_SCHEDULE -> {
                values.addAll(strings(10));
                values.addAll(List.of("0", "1", "5", "6", "-1", "4.0", "4e0", "9223372036854775808",
                        string("0"), string("5"), string("6"), string("-1"), string("04"), string("Schedule IV"), string("CII")));
            }
            case INTEGER -> values.addAll(List.of("0", "1", "-1", "-0", field.min().toPlainString(), field.min().subtract(java.math.BigDecimal.ONE).toPlainString(),
                    field.max().toPlainString(), field.max().add(java.math.BigDecimal.ONE).toPlainString(), "2147483647", "2147483648",
                    "-2147483649", "3000000000", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                    "123456789012345678901234567890", "1e400", "1e2", "1.0", "1.5", string("1"), string(""), string("x".repeat(5))));
            case DECIMAL -> {
                java.math.BigDecimal step = java.math.BigDecimal.ONE.movePointLeft(field.scale());
                values.addAll(List.of(field.min().toPlainString(), field.max().toPlainString(), field.max().add(step).toPlainString(),
                        field.min().subtract(step).toPlainString(), step.toPlainString(), step.movePointLeft(1).toPlainString(),
                        "0", "0.0", "-0.0", "90.25", "90.000000", "1e400", "1e-400", "1E+2", "12345678901", "-1",
                        "123456789012345678901234567890", string("90"), string("")));
            }
            case BOOLEAN -> values.addAll(List.of("false", string("true"), string("false"), string("TRUE"), string("False"),
                    string("yes"), string(""), "0", "1"));
            case DATE_TIME -> values.addAll(List.of(string("2024-03-14T13:17:54.906-07:00"), string("2024-03-14T13:17:54Z"),
                    string("2024-03-14T13:17:54.123456789Z"), string("2024-03-14T13:17:54.9999995Z"), string("1900-01-01T00:00:00Z"),
                    string("1899-12-31T23:59:59Z"), string("1900-01-01T00:00:00+18:00"), string("9999-12-31T23:59:59Z"),
                    string("9999-12-31T23:59:59-18:00"), string("+10000-01-01T00:00:00Z"), string("0000-01-01T00:00:00Z"),
                    string("-0001-01-01T00:00:00Z"), string("2024-02-30T00:00:00Z"), string("2024-03-14T13:17:54+18:00"), string("2024-03-14T13:17:54+14:00"), string("2024-03-14T13:17:54-14:01"),
                    string("2024-03-14T13:17:54-18:00"), string("2024-03-14T13:17:54+19:00"), string("2024-03-14"),
                    string("2024-03-14T13:17:54"), string("2024-03-14 13:17:54Z"), string(""), string("x"),
                    string("2024-03-14T13:17:54Z\u0000"), "1710000000"));
            case OBJECT -> values.addAll(List.of(string("x"), "1"));
            case ARRAY -> {
                values.addAll(List.of("[null]", "[1]", "[[]]", string("x"), "1"));
                JsonNode element = read(sample(type, 0)).at(pointer(path)).get(0);
                values.add("[" + element + "," + element + "]");
                // the declared element cap, and one over it (refused: one event's processing cost is bounded)
                values.add(copies(element, field.maxLength()));
                String over = copies(element, field.maxLength() + 1);
                values.add(over);
                overCap.add(over);
            }
        }
        return values;
    }

    private static String copies(JsonNode element, int count) {
        return "[" + String.join(",", java.util.Collections.nCopies(count, element.toString())) + "]";
    }

    /** Text boundaries for a field of {@code max} UTF-16 code units. */
    private static List<String> strings(int max) {
        return List.of(string(""), string(" "), string("x".repeat(max)), string("x".repeat(max + 1)),
                string("\u00e9".repeat(max)), string("\u00e9".repeat(max + 1)),
                string("\ud83d\ude00".repeat(max / 2)), string("\ud83d\ude00".repeat(max / 2 + 1)),
                string("a\u0000b"), string("\u0000"), string("\ud800"), string("a\udc00b"), string("\udc00\ud800"),
                string("a\r\nb"), string("\t"), string("\u001b[31m"), string("\u007f"), string("\u0085"), string("\u2028"),
                string("\u202e"), string("\ufeff"), string("\uffff"), string("<script>alert(1)</script>"),
                string("'; DROP TABLE inbox; --"), string("%s%n${jndi:ldap://x}"));
    }

    /** A full sample of the type; n > 0 gives it an event_id, prescription id, order number and exception id of its own. */
    private static byte[] sample(EventType type, int n) {
        byte[] base = resource("/boundary/" + BASES.get(type));
        if (n == 0) {
            return base;
        }
        return JsonMutation.replaceAll(base, Map.of("boundary-event", "fb-" + n, "183601", String.valueOf(10_000_000 + n),
                "XQ05O2A", "FB" + n, "\"id\": 67", "\"id\": " + (20_000_000 + n)));
    }

    /** medication_requests[].drug_name -> medication_requests[0].drug_name; an array's own path names the array. */
    private static String concrete(String declaredPath) {
        String path = declaredPath.replace("[].", "[0].");
        return path.endsWith("[]") ? path.substring(0, path.length() - 2) : path;
    }

    private static String pointer(String path) {
        return "/" + path.replace("[0]", "/0").replace('.', '/');
    }

    private static String abbreviate(String literal) {
        return literal == null ? "(absent)" : literal.length() > 40 ? literal.substring(0, 40) + "..." : literal;
    }

    private static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (var in = FieldBoundaryTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
