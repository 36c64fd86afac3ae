package com.example.honeybee.webhook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.JsonLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.apache.camel.Exchange;

/**
 * Parses a webhook body and checks every field its flow reads against the field catalogue
 * ({@link WebhookFields}), so that an event that could never be stored or processed is refused with a
 * 400 naming the field by its path ({@code medication_requests[0].drug_name is longer than 300
 * characters}) instead of being acknowledged and lost later. Unknown event types only need the common
 * fields. {@code event_type} is matched case-insensitively; a known type is passed on in its canonical
 * upper case (the stored body keeps what was sent).
 */
public class WebhookEventValidator {

    private final ObjectReader reader;

    /** @param mapper not used for parsing: bodies are parsed under the bundle's stated limits ({@link JsonLimits}) */
    public WebhookEventValidator(ObjectMapper mapper) {
        // exact decimals (1e400 stays 1E+400, not Infinity) and nothing after the JSON value ("{...} x" is refused)
        this.reader = JsonLimits.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Validates the body, leaving it as it is, and sets the event id, type and patient id headers. */
    public void validate(Exchange exchange) {
        WebhookEvent event = validate(exchange.getMessage().getBody(byte[].class));
        exchange.getMessage().setHeader(HoneybeeHeaders.EVENT_ID, event.eventId());
        exchange.getMessage().setHeader(HoneybeeHeaders.EVENT_TYPE, event.eventType());
        exchange.getMessage().setHeader(HoneybeeHeaders.PATIENT_ID, event.patientId());
    }

    public WebhookEvent validate(byte[] body) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw invalid("the JSON body must be an object, was " + root.getNodeType().name().toLowerCase());
        }
        checkMembers(root, WebhookFields.COMMON, "");
        String eventType = root.get("event_type").textValue();
        String patientId = root.hasNonNull("patient_id") ? root.get("patient_id").textValue() : null;
        EventType.of(eventType).ifPresent(type -> {
            if (patientId == null) {
                throw invalid("patient_id is required for " + type);
            }
            checkMembers(root, WebhookFields.of(type), "");
            int elements = countElements(root, WebhookFields.of(type));
            if (elements > WebhookFields.MAX_ELEMENTS_PER_EVENT) {
                throw invalid("the event carries " + elements + " array elements in all (medication_requests, medication_dispenses,"
                        + " shipment_updates, order_actions); the limit is " + WebhookFields.MAX_ELEMENTS_PER_EVENT);
            }
            if (type != EventType.ORDER_EXCEPTION) {
                checkRequestsNamePrescriptions(root.get("medication_requests"), type == EventType.RX_RECEIVED);
            }
        });
        return new WebhookEvent(root.get("event_id").textValue(), EventType.canonical(eventType), patientId);
    }

    private JsonNode parse(byte[] body) {
        String notUtf8 = utf8Problem(body);
        if (notUtf8 != null) {
            throw invalid(notUtf8);
        }
        try {
            JsonNode root = reader.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw invalid("the body is not JSON: it is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the body, so only the kind of problem, the limit or the position is reported
            throw invalid(JsonLimits.describe(e));
        } catch (IOException e) {
            throw invalid("the body could not be read as JSON");
        }
    }

    /**
     * Why the body is not well-formed UTF-8 (RFC 8259 section 8.1: JSON between systems is UTF-8), or null. A strict
     * decoder refuses overlong forms (C0 AF), encoded surrogates (ED A0 80) and truncated sequences; a zero byte, which
     * JSON text never holds, is how UTF-16 and UTF-32 show (Jackson would otherwise detect and read them).
     */
    static String utf8Problem(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                return "the body is not UTF-8: it has a zero byte at offset " + i + " (UTF-16 or UTF-32?); JSON between systems is UTF-8 (RFC 8259 section 8.1)";
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return "the body is not well-formed UTF-8: an invalid byte sequence at offset " + in.position()
                        + "; JSON between systems is UTF-8 (RFC 8259 section 8.1)";
            }
            if (result.isUnderflow()) {
                return null;
            }
            out.clear();
        }
    }

    /** Checks the declared members of one object (and, recursively, what they hold) against their specs. */
    private static void checkMembers(JsonNode object, List<FieldSpec> fields, String parent) {
        for (FieldSpec field : fields) {
            String path = parent + field.name();
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    throw invalid(path + " is required");
                }
                continue;
            }
            field.problemWith(value).ifPresent(problem -> {
                throw invalid(path + " " + problem);
            });
            if (field.required() && value.isTextual() && value.textValue().isBlank()) {
                throw invalid(path + " must be a non-empty string");
            }
            switch (field.kind()) {
                case OBJECT -> checkMembers(value, field.children(), path + ".");
                case ARRAY -> checkElements(value, field, path);
                default -> { }
            }
        }
    }

    /** Elements of the declared arrays under these fields, nested ones included (already checked to be arrays of objects). */
    private static int countElements(JsonNode object, List<FieldSpec> fields) {
        int count = 0;
        for (FieldSpec field : fields) {
            JsonNode value = object.get(field.name());
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.kind() == FieldSpec.Kind.ARRAY) {
                count += value.size();
                for (JsonNode element : value) {
                    count += countElements(element, field.children());
                }
            } else if (field.kind() == FieldSpec.Kind.OBJECT) {
                count += countElements(value, field.children());
            }
        }
        return count;
    }

    private static void checkElements(JsonNode array, FieldSpec field, String path) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String elementPath = path + "[" + i + "]";
            if (!element.isObject()) {
                throw invalid(elementPath + " must be an object");
            }
            checkMembers(element, field.children(), elementPath + ".");
        }
    }

    /**
     * The rule no single field can say: every medication request names its prescription (id or
     * prescription_id), except, in RX_UPDATED and SHIPMENT_UPDATED, one that only carries dispenses.
     */
    private static void checkRequestsNamePrescriptions(JsonNode requests, boolean alwaysNeedsId) {
        if (requests.isEmpty()) {
            throw invalid("medication_requests must be a non-empty array");
        }
        for (int i = 0; i < requests.size(); i++) {
            JsonNode request = requests.get(i);
            boolean hasId = request.hasNonNull("id") || request.hasNonNull("prescription_id");
            if (!hasId && (alwaysNeedsId || !request.hasNonNull("medication_dispenses"))) {
                throw invalid("medication_requests[" + i + "].id (or prescription_id) must be an integer");
            }
        }
    }

    private static WebhookRejectedException invalid(String message) {
        return new WebhookRejectedException(400, "invalid_event", message);
    }
}
