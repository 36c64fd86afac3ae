package com.example.honeybee.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.example.honeybee.address.AddressRefusedException;
import com.example.honeybee.address.ShippingAddressCorrection;
import com.example.honeybee.api.PartnerApiCheck;
import com.example.honeybee.api.PartnerApiException;
import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.orders.ExceptionActions;
import com.example.honeybee.orders.FillRepository;
import com.example.honeybee.orders.Reorders;
import com.example.honeybee.patients.PartnerPatientDirectory;
import com.example.honeybee.patients.PatientMatcher;
import com.example.honeybee.patients.PatientReviewQueue;
import com.example.honeybee.support.FailureReason;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.JsonLimits;
import com.example.honeybee.support.LogSafe;
import com.example.honeybee.support.Refusal;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API behind /api (routes/server-ops-api.camel.yaml): what needs a person (exceptions on hold,
 * patients to review, dead letters, prescriptions awaiting approval) and the actions on it. Each REST
 * verb calls a route of its own, made from one route template, which names the operation. Answers are
 * JSON; user mistakes answer 400/404/409/422.
 * Every key is snake_case, as in Honeybee's API (fill_number, honeybee_patient_id, error_code); timestamps
 * are ISO-8601 strings in UTC ({@code 2026-05-01T14:03:07.123456Z}).
 * Responses carry ids, drug names, statuses and tracking, never patient data, except the one call that exists to
 * show it: GET /api/orders/{number}/shipping-address (the partner's record of the patient's address, to prefill a
 * correction). 64-bit numbers (every id:
 * exception_id, prescription_id, fill and dead-letter ids) are written as JSON strings, because a
 * browser's numbers lose precision above 2^53; 32-bit numbers (refills_left, fill_number) stay numbers.
 */
public class OpsApi {

    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    private final Sql sql;
    private final ObjectMapper mapper;
    private final ObjectReader requestReader;
    private final byte[] token;
    private final OpsQueries queries;
    private final PatientReviewQueue reviews;
    private final PatientMatcher matcher;
    private final PartnerPatientDirectory directory;
    private final FillRepository fills;
    private final DeadLetterStore deadLetters;
    private final PartnerApiCheck partnerApi;
    private final OrderLinks orderLinks;
    private ProducerTemplate template;

    public OpsApi(Sql sql, ObjectMapper mapper, String token, PatientReviewQueue reviews, PatientMatcher matcher,
                  PartnerPatientDirectory directory, FillRepository fills, DeadLetterStore deadLetters,
                  PartnerApiCheck partnerApi, java.time.Clock clock) {
        this.sql = sql;
        // snake_case like Honeybee's own API: record components (fillNumber, refId...) are written fill_number, ref_id
        this.mapper = mapper.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(new SimpleModule("ops-ids-as-strings")
                .addSerializer(Long.class, ToStringSerializer.instance).addSerializer(Long.TYPE, ToStringSerializer.instance));
        // the same stated limits as the webhook's (nesting, number length), named when a body exceeds them
        this.requestReader = JsonLimits.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.queries = new OpsQueries(sql, clock);
        this.reviews = reviews;
        this.matcher = matcher;
        this.directory = directory;
        this.fills = fills;
        this.deadLetters = deadLetters;
        this.partnerApi = partnerApi;
        this.orderLinks = new OrderLinks(sql, directory);
    }

    public void setTemplate(ProducerTemplate template) {
        this.template = template;
    }

    /** Answers one API call; the operation is the one its route was made for (routes/server-ops-api.camel.yaml). */
    public String handle(Exchange exchange, String operation) throws Exception {
        authorize(exchange.getMessage().getHeader("Authorization", String.class));
        var in = exchange.getMessage();
        Object answer = switch (operation) {
            case "ops-list-prescriptions" -> queries.prescriptions(in.getHeader("patient_id", String.class), in.getHeader("status", String.class));
            case "ops-approve-fill" -> approveFill(longParam(in.getHeader("id"), "prescription id"), body(exchange));
            case "ops-order-add-ons" -> orderAddOns(in.getHeader("id", String.class), body(exchange));
            case "ops-list-orders" -> queries.orders(in.getHeader("patient_id", String.class));
            case "ops-get-order" -> queries.order(in.getHeader("number", String.class)).map(orderLinks::addTo)
                    .orElseThrow(() -> new OpsRequestException(404, "order " + in.getHeader("number") + " is not known"));
            case "ops-list-exceptions" -> queries.openExceptions();
            case "ops-act-on-exception" -> act(longParam(in.getHeader("id"), "exception id"), body(exchange));
            case "ops-list-reviews" -> reviews.open();
            case "ops-resolve-review" -> resolve(longParam(in.getHeader("id"), "review id"), body(exchange));
            case "ops-list-dead-letters" -> deadLetters.open();
            case "ops-replay-dead-letter" -> deadLetters.replay(longParam(in.getHeader("id"), "dead letter id"));
            case "ops-list-reminders" -> queries.openReminders();
            case "ops-list-unknown-events" -> queries.unknownEvents();
            case "ops-get-partner-api" -> partnerApi.details();
            case "ops-get-shipping-address" -> orderLinks.partnerAddress(in.getHeader("number", String.class));
            case "ops-correct-shipping-address" -> template.requestBodyAndHeaders("direct:honeybee-correct-shipping-address", body(exchange),
                    Map.of(ShippingAddressCorrection.ORDER_NUMBER, String.valueOf(in.getHeader("number")),
                            ShippingAddressCorrection.REQUESTED_BY, "operator"));
            case "ops-request-reorder" -> template.requestBodyAndHeaders("direct:honeybee-reorder", body(exchange),
                    Map.of(Reorders.ORDER_NUMBER, String.valueOf(in.getHeader("number")), Reorders.REQUESTED_BY, "operator"));
            default -> throw new OpsRequestException(404, "no such operation");
        };
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, operation.startsWith("ops-list") || operation.startsWith("ops-get")
                || operation.equals("ops-correct-shipping-address") ? 200 : 201);
        return write(answer);
    }

    /** The answer to a failed call: refusals with their status, Honeybee's refusal as 502, anything else 500. */
    public String error(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = failure;
        while (cause != null && !(cause instanceof Refusal) && !(cause instanceof PartnerApiException)) {
            cause = cause.getCause();
        }
        int status;
        String message;
        if (cause instanceof Refusal refusal) {
            status = refusal.status();
            message = refusal.getMessage();
        } else if (cause instanceof PartnerApiException api) {
            status = 502;
            message = api.getMessage();
        } else if (jsonProblem(failure) != null) {
            // a syntax error, data after the JSON, or a limit exceeded (StreamConstraintsException): each named
            status = 400;
            message = JsonLimits.describe(jsonProblem(failure)).replaceFirst("^the body", "the request body");
        } else {
            status = 500;
            message = "internal error: " + FailureReason.describe(failure);
            LOG.warn("ops API call failed: {}", LogSafe.escape(message));
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (cause instanceof AddressRefusedException refused) {
            // Honeybee's code and the refused fields, in the API's names (first_name, state, zip...)
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", message);
            answer.put("status", status);
            answer.put("error_code", refused.errorCode());
            answer.put("fields", refused.fields());
            return write(answer);
        }
        return write(Map.of("error", message, "status", status));
    }

    /** The operator page, served at /ops. */
    public String page() throws IOException {
        try (InputStream in = OpsApi.class.getClassLoader().getResourceAsStream("honeybee/ops/index.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void authorize(String header) {
        if (token == null) {
            throw new OpsRequestException(401, "the ops API is closed: set honeybee.ops.token (env HONEYBEE_OPS_TOKEN)");
        }
        byte[] presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : null;
        if (presented == null || !MessageDigest.isEqual(token, presented)) {
            throw new OpsRequestException(401, "missing or wrong bearer token (Authorization: Bearer <honeybee.ops.token>)");
        }
    }

    /** Body (optional): {"quantity", "package_size", "add_ons": [{"sku", "quantity", "package_size"}]}, see OrderItemsReader. */
    private Object approveFill(long prescriptionId, JsonNode body) {
        return template.requestBodyAndHeaders("direct:honeybee-request-fill", body,
                Map.of(HoneybeeHeaders.PRESCRIPTION_ID, prescriptionId, "HoneybeeRequestedBy", "operator"));
    }

    /** An order of add-on items alone for a Honeybee patient; body {"add_ons": [...]}, see OrderItemsReader. */
    private Object orderAddOns(String honeybeePatientId, JsonNode body) {
        return template.requestBodyAndHeaders("direct:honeybee-request-fill", body,
                Map.of(HoneybeeHeaders.PATIENT_ID, honeybeePatientId, "HoneybeeRequestedBy", "operator"));
    }

    private Object act(long exceptionId, JsonNode body) {
        String action = body.path("action").asText("");
        if (action.isBlank()) {
            throw new OpsRequestException(400, "body must be {\"action\": \"verified_by_partner\"} (reason_id for a refund)");
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(ExceptionActions.EXCEPTION_ID, exceptionId);
        headers.put(ExceptionActions.ACTION, action);
        headers.put(ExceptionActions.ANSWERED_BY, "operator");
        if (body.hasNonNull("reason_id")) {
            if (!body.get("reason_id").canConvertToInt()) {
                throw new OpsRequestException(400, "reason_id must be a whole number");
            }
            headers.put(ExceptionActions.REFUND_REASON_ID, body.get("reason_id").asInt());
        }
        template.requestBodyAndHeaders("direct:honeybee-order-action", null, headers);
        return Map.of("exception_id", exceptionId, "event", action.toUpperCase(java.util.Locale.ROOT), "status", "ANSWERED");
    }

    private Object resolve(long reviewId, JsonNode body) {
        String partnerId = body.path("partner_patient_id").asText("");
        if (partnerId.isBlank()) {
            throw new OpsRequestException(400, "body must be {\"partner_patient_id\": \"...\"}");
        }
        PatientReviewQueue.Review review = reviews.open().stream().filter(r -> r.id() == reviewId).findFirst()
                .orElseThrow(() -> new OpsRequestException(404, "review " + reviewId + " is not open"));
        if (directory.find(partnerId).isEmpty()) {
            throw new OpsRequestException(404, "partner patient " + partnerId + " is not known");
        }
        matcher.link(review.honeybeePatientId(), partnerId, "operator");
        reviews.resolve(review.honeybeePatientId(), partnerId);
        int requeued = fills.requeueReviewed(review.honeybeePatientId());
        return Map.of("review_id", reviewId, "honeybee_patient_id", review.honeybeePatientId(), "partner_patient_id", partnerId,
                "fills_requeued", requeued);
    }

    private JsonNode body(Exchange exchange) throws IOException {
        String text = exchange.getMessage().getBody(String.class);
        return text == null || text.isBlank() ? mapper.createObjectNode() : requestReader.readTree(text);
    }

    private static com.fasterxml.jackson.core.JsonProcessingException jsonProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
                return json;
            }
        }
        return null;
    }

    private static long longParam(Object value, String what) {
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new OpsRequestException(400, what + " must be a number");
        }
    }

    private String write(Object answer) throws IOException {
        return mapper.writeValueAsString(answer);
    }

    static List<Map<String, Object>> rows(Sql sql, String query, Object... params) {
        return sql.query(query, row -> {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                Object value = row.getObject(i);
                if (value instanceof java.sql.Timestamp || value instanceof java.time.OffsetDateTime || value instanceof java.time.Instant) {
                    // every timestamp column has a time zone: one ISO-8601 instant in UTC on H2 and PostgreSQL alike
                    value = row.getObject(i, java.time.OffsetDateTime.class).toInstant().toString();
                } else if (value instanceof java.time.temporal.TemporalAccessor || value instanceof java.util.Date) {
                    value = String.valueOf(value);
                }
                map.put(row.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), value);
            }
            return map;
        }, params);
    }
}
