package com.example.honeybee.orders;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.record.OrderStatus;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests a reorder of a shipped order (direct:honeybee-reorder, the ops API's POST /api/orders/{number}/reorders):
 * checks it and puts it in the order outbox, which posts Honeybee's {@code POST /orders/{order_number}/reorders}.
 * Body {@code {"reason": "lost"|"damaged"|"other", "note"?: "..."}} (JSON text, tree or map); header
 * {@value #ORDER_NUMBER}, optional {@value #REQUESTED_BY}. Only a Shipped or Delivered order can be reordered
 * (409 otherwise, naming its status). Exactly one reorder per request: while a reorder of the order is in the
 * outbox or placed, asking again answers that reorder ({@code "created": false}) instead of adding one; only after
 * Honeybee refused it (DEAD) does a new request add the next reorder number.
 */
public class Reorders {

    public static final String ORDER_NUMBER = "HoneybeeOrderNumber";
    public static final String REQUESTED_BY = "HoneybeeRequestedBy";
    public static final List<String> REASONS = List.of("lost", "damaged", "other");
    static final int MAX_NOTE = 500;
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\u2028\\u2029]*");
    private static final Logger LOG = LoggerFactory.getLogger(Reorders.class);

    private final ReorderRepository reorders;
    private final OrderRepository orders;
    private final ObjectMapper mapper;

    public Reorders(ReorderRepository reorders, OrderRepository orders, ObjectMapper mapper) {
        this.reorders = reorders;
        this.orders = orders;
        this.mapper = mapper;
    }

    /**
     * Puts the reorder in the outbox and answers it: reorder_id, original_order_number, reorder_number, reason,
     * status, new_order_number, created.
     *
     * @throws FillRefusedException 400 for a bad body (naming the field), 404 unknown order, 409 not Shipped/Delivered
     */
    public Map<String, Object> request(Exchange exchange) throws Exception {
        String orderNumber = exchange.getMessage().getHeader(ORDER_NUMBER, String.class);
        String requestedBy = exchange.getMessage().getHeader(REQUESTED_BY, String.class);
        JsonNode body = body(exchange.getMessage().getBody());
        String reason = reason(body);
        String note = note(body);
        if (orderNumber == null || orderNumber.isBlank()) {
            throw new FillRefusedException(400, "a reorder needs the header " + ORDER_NUMBER);
        }
        OrderRepository.Order order = orders.find(orderNumber)
                .orElseThrow(() -> new FillRefusedException(404, "order " + LogSafe.escape(orderNumber) + " is not known"));
        Optional<OrderStatus> status = OrderStatus.parse(order.status());
        if (status.isEmpty() || (status.get() != OrderStatus.SHIPPED && status.get() != OrderStatus.DELIVERED)) {
            throw new FillRefusedException(409, "order " + LogSafe.escape(orderNumber) + " is " + LogSafe.escape(order.status())
                    + ": only a Shipped or Delivered order can be reordered (Honeybee re-sends a previously shipped order)");
        }
        if (order.patientId() == null) {
            throw new FillRefusedException(409, "order " + LogSafe.escape(orderNumber) + " has no patient_id in the local record yet");
        }
        if (orders.prescriptionIds(orderNumber).isEmpty()) {
            throw new FillRefusedException(409, "order " + LogSafe.escape(orderNumber) + " has no prescription in the local record");
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Reorder> earlier = reorders.ofOriginal(orderNumber);
            Optional<Reorder> live = earlier.stream().filter(r -> r.status() != FillStatus.DEAD).findFirst();
            if (live.isPresent()) {
                return answer(live.get(), false);
            }
            int next = earlier.stream().mapToInt(Reorder::reorderNumber).max().orElse(0) + 1;
            Optional<Reorder> added = reorders.insert(orderNumber, next, order.patientId(), reason, note,
                    requestedBy == null || requestedBy.isBlank() ? "partner" : requestedBy.length() > 50 ? requestedBy.substring(0, 50) : requestedBy);
            if (added.isPresent()) {
                LOG.info("order {}: reorder {} ({}) put in the outbox as reorder {} by {}", LogSafe.escape(orderNumber), next, reason,
                        added.get().id(), LogSafe.escape(added.get().requestedBy()));
                return answer(added.get(), true);
            }
            // a concurrent request added it first: answer that one
        }
        throw new FillRefusedException(409, "order " + LogSafe.escape(orderNumber) + " is being reordered by concurrent requests; look again");
    }

    /** The reorder as the ops API answers it. */
    public static Map<String, Object> answer(Reorder reorder, boolean created) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("reorder_id", reorder.id());
        answer.put("original_order_number", reorder.originalOrderNumber());
        answer.put("reorder_number", reorder.reorderNumber());
        answer.put("reason", reorder.reason());
        answer.put("status", reorder.status().name());
        answer.put("new_order_number", reorder.newOrderNumber());
        answer.put("created", created);
        return answer;
    }

    private JsonNode body(Object body) throws Exception {
        if (body instanceof JsonNode json) {
            return json;
        }
        if (body instanceof Map<?, ?> map) {
            return mapper.valueToTree(map);
        }
        String text = body == null ? "" : body.toString();
        if (text.isBlank()) {
            throw new FillRefusedException(400, "body must be {\"reason\": \"lost\"|\"damaged\"|\"other\", \"note\": \"...\"}");
        }
        try {
            return mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FillRefusedException(400, "the body is not valid JSON");
        }
    }

    private static String reason(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new FillRefusedException(400, "body must be {\"reason\": \"lost\"|\"damaged\"|\"other\", \"note\": \"...\"}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("reason") && !name.equals("note")) {
                throw new FillRefusedException(400, "unknown field '" + LogSafe.escape(name.length() > 40 ? name.substring(0, 40) : name)
                        + "'; a reorder takes reason and note");
            }
        }
        JsonNode reason = body.get("reason");
        if (reason == null || reason.isNull()) {
            throw new FillRefusedException(400, "reason is required: one of " + String.join(", ", REASONS));
        }
        String value = reason.isTextual() ? reason.asText().trim().toLowerCase(Locale.ROOT) : "";
        if (!REASONS.contains(value)) {
            throw new FillRefusedException(400, "reason must be one of " + String.join(", ", REASONS));
        }
        return value;
    }

    private static String note(JsonNode body) {
        JsonNode note = body.get("note");
        if (note == null || note.isNull()) {
            return null;
        }
        if (!note.isTextual()) {
            throw new FillRefusedException(400, "note must be a string");
        }
        String text = note.asText().strip();
        if (text.length() > MAX_NOTE) {
            throw new FillRefusedException(400, "note is longer than " + MAX_NOTE + " characters");
        }
        if (!PRINTABLE.matcher(text).matches()) {
            throw new FillRefusedException(400, "note contains a control or invisible character");
        }
        return text.isEmpty() ? null : text;
    }
}
