package com.example.honeybee.webhook;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.example.honeybee.support.HoneybeeHeaders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * Parses a webhook body and checks that it carries what its flow needs, so that an event that could
 * never be processed is refused with a 400 naming the field instead of being acknowledged and lost
 * later. Unknown event types only need the common fields.
 */
public class WebhookEventValidator {

    static final int MAX_ID_LENGTH = 200;
    static final int MAX_TYPE_LENGTH = 100;

    private final ObjectMapper mapper;

    public WebhookEventValidator(ObjectMapper mapper) {
        this.mapper = mapper;
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
            throw invalid("the JSON body must be an object, was " + kind(root));
        }
        String eventId = requiredText(root, "event_id", MAX_ID_LENGTH);
        String eventType = requiredText(root, "event_type", MAX_TYPE_LENGTH);
        String patientId = optionalText(root, "patient_id", MAX_ID_LENGTH);
        EventType.of(eventType).ifPresent(type -> {
            if (patientId == null) {
                throw invalid("patient_id is required for " + type);
            }
            switch (type) {
                case RX_RECEIVED -> checkRequests(root, false);
                case RX_UPDATED, SHIPMENT_UPDATED -> checkRequests(root, true);
                case ORDER_EXCEPTION -> checkException(root);
            }
        });
        return new WebhookEvent(eventId, eventType, patientId);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw invalid("the body is not JSON: it is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the body, so only the position is reported
            String what = String.valueOf(e.getOriginalMessage()).contains("UTF-8") ? "not valid UTF-8" : "not valid JSON";
            throw invalid("the body is " + what + " (error at " + location(e) + ")");
        } catch (IOException e) {
            throw invalid("the body could not be read as JSON");
        }
    }

    private void checkRequests(JsonNode root, boolean dispensesAllowed) {
        JsonNode requests = root.get("medication_requests");
        if (requests == null || !requests.isArray() || requests.isEmpty()) {
            throw invalid("medication_requests must be a non-empty array");
        }
        for (int i = 0; i < requests.size(); i++) {
            String path = "medication_requests[" + i + "]";
            JsonNode request = requests.get(i);
            if (!request.isObject()) {
                throw invalid(path + " must be an object");
            }
            boolean hasId = isIntegral(request.get("id")) || isIntegral(request.get("prescription_id"));
            boolean needsId = !dispensesAllowed || !request.has("medication_dispenses");
            if (needsId && !hasId) {
                throw invalid(path + ".id (or prescription_id) must be an integer");
            }
            for (String field : new String[] {"id", "prescription_id", "refills_left"}) {
                if (present(request.get(field)) && !isIntegral(request.get(field))) {
                    throw invalid(path + "." + field + " must be an integer");
                }
            }
            if (present(request.get("written_qty")) && !request.get("written_qty").isNumber()) {
                throw invalid(path + ".written_qty must be a number");
            }
            checkDate(request, "expire_date", path);
            checkDate(request, "receive_date", path);
            if (dispensesAllowed) {
                checkDispenses(request.get("medication_dispenses"), path);
            }
        }
    }

    private void checkDispenses(JsonNode dispenses, String parent) {
        if (!present(dispenses)) {
            return;
        }
        if (!dispenses.isArray()) {
            throw invalid(parent + ".medication_dispenses must be an array");
        }
        for (int i = 0; i < dispenses.size(); i++) {
            String path = parent + ".medication_dispenses[" + i + "]";
            JsonNode dispense = dispenses.get(i);
            if (!dispense.isObject()) {
                throw invalid(path + " must be an object");
            }
            requiredText(dispense, "order_number", MAX_ID_LENGTH, path);
            requiredText(dispense, "order_status", 30, path);
            checkDate(dispense, "order_date", path);
            JsonNode shipment = dispense.get("shipment");
            if (present(shipment)) {
                checkShipment(shipment, path + ".shipment");
            }
        }
    }

    private void checkShipment(JsonNode shipment, String path) {
        if (!shipment.isObject()) {
            throw invalid(path + " must be an object or null");
        }
        checkDate(shipment, "shipment_date", path);
        JsonNode latest = shipment.get("latest_shipment_update");
        if (present(latest)) {
            checkTrackingEvent(latest, path + ".latest_shipment_update");
        }
        JsonNode updates = shipment.get("shipment_updates");
        if (present(updates)) {
            if (!updates.isArray()) {
                throw invalid(path + ".shipment_updates must be an array");
            }
            for (int i = 0; i < updates.size(); i++) {
                checkTrackingEvent(updates.get(i), path + ".shipment_updates[" + i + "]");
            }
        }
    }

    private void checkTrackingEvent(JsonNode update, String path) {
        if (!update.isObject()) {
            throw invalid(path + " must be an object");
        }
        requiredText(update, "event_code", 20, path);
        if (!present(update.get("occurred_at"))) {
            throw invalid(path + ".occurred_at is required");
        }
        checkDate(update, "occurred_at", path);
    }

    private void checkException(JsonNode root) {
        JsonNode exception = root.get("exception");
        if (exception == null || !exception.isObject()) {
            throw invalid("exception must be an object");
        }
        if (!isIntegral(exception.get("id"))) {
            throw invalid("exception.id must be an integer");
        }
        requiredText(exception, "order_number", MAX_ID_LENGTH, "exception");
        requiredText(exception, "name", 200, "exception");
        JsonNode actions = exception.get("order_actions");
        if (present(actions)) {
            if (!actions.isArray()) {
                throw invalid("exception.order_actions must be an array");
            }
            for (int i = 0; i < actions.size(); i++) {
                JsonNode action = actions.get(i);
                if (!action.isObject()) {
                    throw invalid("exception.order_actions[" + i + "] must be an object");
                }
                requiredText(action, "event_key", 100, "exception.order_actions[" + i + "]");
            }
        }
    }

    private static void checkDate(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (!present(value)) {
            return;
        }
        if (!value.isTextual()) {
            throw invalid(path + "." + field + " must be an ISO-8601 date-time string");
        }
        try {
            OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw invalid(path + "." + field + " is not an ISO-8601 date-time with offset");
        }
    }

    private static String requiredText(JsonNode node, String field, int maxLength) {
        return requiredText(node, field, maxLength, null);
    }

    private static String requiredText(JsonNode node, String field, int maxLength, String parent) {
        String path = parent == null ? field : parent + "." + field;
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid(path + " is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(path + " must be a non-empty string");
        }
        if (value.asText().length() > maxLength) {
            throw invalid(path + " is longer than " + maxLength + " characters");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (!present(value)) {
            return null;
        }
        return requiredText(node, field, maxLength);
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static boolean isIntegral(JsonNode value) {
        return value != null && value.isIntegralNumber() && value.canConvertToLong();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "unknown position"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static WebhookRejectedException invalid(String message) {
        return new WebhookRejectedException(400, "invalid_event", message);
    }
}
