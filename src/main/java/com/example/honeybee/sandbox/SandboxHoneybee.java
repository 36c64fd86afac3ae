package com.example.honeybee.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.honeybee.http.RemoteAddress;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process stand-in for Honeybee, for the demo and the tests: OAuth, patients, shipping methods,
 * products, refund reasons, orders with the guide's validation and 422 codes, partner order action
 * requests, the Test Prescription feature, and an order life (Processing, Filling, Shipped, Delivered,
 * On Hold on request) reported by signed webhooks. State is in memory; it is a test double, so it
 * favours clarity over throughput and synchronises every operation.
 */
public class SandboxHoneybee {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxHoneybee.class);
    private static final Set<String> STATES = Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
            "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
            "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY");
    /** The order body field each address code refuses (sent in error_detail, as Honeybee does). */
    private static final Map<Integer, String> ADDRESS_FIELDS = Map.of(42221, "address.first_name", 42222, "address.last_name",
            42223, "address.street1", 42225, "address.city", 42226, "address.state", 42227, "address.zip", 42231, "address.state");
    /** Honeybee's documented 409 message. */
    static final String DUPLICATE = "Your request is conflicting with another recent request."
            + " Please make sure this request is not a duplicate and resend.";
    private static final Set<String> EVENTS = Set.of("VERIFIED_BY_PARTNER", "CANCEL_BY_PARTNER", "PUT_ON_HOLD_BY_PARTNER",
            "REQUEST_REFUND_BY_PARTNER");

    private final ObjectMapper mapper;
    private final Clock clock;
    private final SandboxFaults faults;
    private final String clientId;
    private final String clientSecret;
    private final long tokenTtlSeconds;
    private final int exceptionOnOrder;
    private volatile String exceptionName = "State Invalid";
    private volatile long duplicateWindowMs;
    private final Set<String> unshippableStates;
    private final SandboxShippingAddress shippingAddresses;
    private final SandboxReorders reorders;

    private final Map<String, Instant> tokens = new HashMap<>();
    private final Map<String, ObjectNode> patients = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> prescriptions = new LinkedHashMap<>();
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final Deque<byte[]> webhooks = new ArrayDeque<>();
    private final List<JsonNode> orderRequests = new ArrayList<>();
    private final List<String> orderBodiesReceived = new ArrayList<>();
    private final List<JsonNode> actionRequests = new ArrayList<>();
    private final Map<Long, Instant> firstOrderReceivedAt = new HashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger orderPosts = new AtomicInteger();
    private long nextPrescriptionId = 300001;
    private int nextOrder = 1;
    private int nextException = 501;

    /** One order as the sandbox keeps it. */
    static final class Order {
        final String number;
        final String patientId;
        final long prescriptionId;
        final int sequence;
        final OffsetDateTime orderDate;
        final ObjectNode json;
        String status = "Processing";
        boolean holdRequested;
        String trackingNo;
        OffsetDateTime shippedAt;

        Order(String number, String patientId, long prescriptionId, int sequence, OffsetDateTime orderDate, ObjectNode json) {
            this.number = number;
            this.patientId = patientId;
            this.prescriptionId = prescriptionId;
            this.sequence = sequence;
            this.orderDate = orderDate;
            this.json = json;
        }
    }

    public SandboxHoneybee(ObjectMapper mapper, Clock clock, SandboxFaults faults, String clientId, String clientSecret,
                           long tokenTtlSeconds, int exceptionOnOrder, Set<String> unshippableStates) {
        this.mapper = mapper;
        this.clock = clock;
        this.faults = faults;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokenTtlSeconds = tokenTtlSeconds;
        this.exceptionOnOrder = exceptionOnOrder;
        this.unshippableStates = unshippableStates;
        this.shippingAddresses = new SandboxShippingAddress(this, mapper);
        this.reorders = new SandboxReorders(this, mapper);
    }

    public SandboxFaults faults() {
        return faults;
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    /**
     * Answers one sandbox HTTP request, found in {@link SandboxEndpoints} by its method and path. Only callers
     * on this machine are answered (403 otherwise, from the connection's address): the sandbox signs webhooks
     * with the bundle's secret, and its Test Prescription endpoint needs no token. A failure is answered here
     * (500 with Honeybee's error body), never by the route's error handler, so that the route always ends by
     * removing every request header (routes/server-sandbox.camel.yaml): none comes back in the answer.
     */
    public String handle(Exchange exchange) throws Exception {
        try {
            return answerCall(exchange);
        } catch (Exception e) {
            LOG.warn("sandbox: {} {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    LogSafe.escape(exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class)), e.getClass().getSimpleName());
            return answer(exchange, 500, error(500, "internal error in the sandbox (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private String answerCall(Exchange exchange) throws Exception {
        if (!RemoteAddress.isLoopback(exchange)) {
            return answer(exchange, 403, error(403, "the sandbox answers only callers on this machine (a loopback connection)"));
        }
        pause(faults.latencyMs());
        var message = exchange.getMessage();
        message.setHeader("X-Request-Id", "sbx-" + UUID.randomUUID());
        var call = SandboxEndpoints.match(message.getHeader(Exchange.HTTP_METHOD, String.class),
                message.getHeader(Exchange.HTTP_PATH, String.class), message.getHeader(Exchange.HTTP_QUERY, String.class)).orElse(null);
        if (call == null) {
            return answer(exchange, 404, error(404, "no such sandbox endpoint"));
        }
        String operation = call.operation();
        if (!operation.equals("token") && !operation.equals("test-prescription") && !authorized(message.getHeader("Authorization", String.class))) {
            return answer(exchange, 401, error(401, "invalid or expired access token"));
        }
        return switch (operation) {
            case "token" -> token(exchange);
            case "patient" -> patient(exchange, call.param("id"));
            case "shipping-methods" -> answer(exchange, 200, mapper.writeValueAsString(shippingMethods()));
            case "products" -> answer(exchange, 200, mapper.writeValueAsString(products()));
            case "refund-reasons" -> answer(exchange, 200, mapper.writeValueAsString(refundReasons()));
            case "create-order" -> createOrder(exchange);
            case "list-orders" -> listOrders(exchange, call.param("patient_id"));
            case "get-order" -> getOrder(exchange, call.param("number"));
            case "simulate" -> simulate(exchange);
            case "order-action" -> orderAction(exchange, call.param("number"));
            case "shipping-address" -> shippingAddresses.handle(exchange, call.param("number"));
            case "reorder" -> reorders.handle(exchange, call.param("number"));
            case "test-prescription" -> testPrescription(exchange);
            default -> answer(exchange, 404, error(404, "no such sandbox endpoint"));
        };
    }

    private synchronized String token(Exchange exchange) throws Exception {
        // platform-http hands a form body over as headers; a raw body is read too
        Map<String, String> form = form(exchange.getMessage().getBody(String.class));
        for (String field : new String[] {"grant_type", "client_id", "client_secret"}) {
            String header = exchange.getMessage().getHeader(field, String.class);
            if (header != null) {
                form.putIfAbsent(field, header);
            }
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = exchange.getMessage().getHeader("Authorization", String.class);
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8).split(":", 2);
            id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
        }
        if (!clientId.equals(id) || !clientSecret.equals(secret)) {
            return answer(exchange, 401, "{\"error\":\"invalid_client\"}");
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, clock.instant().plusSeconds(tokenTtlSeconds));
        tokensIssued.incrementAndGet();
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        ObjectNode body = mapper.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", tokenTtlSeconds).put("created_at", clock.instant().getEpochSecond());
        return answer(exchange, 200, mapper.writeValueAsString(body));
    }

    private synchronized boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        Instant expiry = tokens.get(header.substring(7).trim());
        return expiry != null && clock.instant().isBefore(expiry);
    }

    private synchronized String patient(Exchange exchange, String id) throws Exception {
        ObjectNode patient = patients.get(id);
        if (patient == null) {
            return answer(exchange, 404, error(404, "patient not found"));
        }
        return answer(exchange, 200, mapper.writeValueAsString(patient));
    }

    private String createOrder(Exchange exchange) throws Exception {
        orderPosts.incrementAndGet();
        synchronized (this) {
            orderBodiesReceived.add(exchange.getMessage().getBody(String.class));
        }
        SandboxFault fault = faults.nextOrderFault();
        if (fault != null && fault != SandboxFault.TIMEOUT_AFTER_CREATE && fault != SandboxFault.CONFLICT_IN_FLIGHT) {
            return switch (fault) {
                case SERVER_ERROR -> answer(exchange, 500, error(500, "internal error"));
                case BAD_GATEWAY -> answer(exchange, 502, error(502, "bad gateway"));
                case UNAVAILABLE -> retryLater(exchange, 503);
                case CONFLICT -> answer(exchange, 409, conflict(DUPLICATE));
                default -> retryLater(exchange, 429);
            };
        }
        String result = createOrderNow(exchange);
        if (fault == SandboxFault.TIMEOUT_AFTER_CREATE) {
            pause(faults.timeoutDelayMs());
        }
        if (fault == SandboxFault.CONFLICT_IN_FLIGHT && exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) == 201) {
            // the identical order is in flight: it exists, but this request is told it conflicts
            return answer(exchange, 409, conflict(DUPLICATE));
        }
        return result;
    }

    private synchronized String createOrderNow(Exchange exchange) throws Exception {
        JsonNode body;
        try {
            body = mapper.readTree(exchange.getMessage().getBody(String.class));
        } catch (Exception e) {
            return answer(exchange, 400, error(400, "body is not JSON"));
        }
        orderRequests.add(body);
        String[] shapeError = shapeError(body);
        if (shapeError != null) {
            return answer(exchange, 400, error(400, shapeError[1], shapeError[0]));
        }
        SandboxOrderValidation.Refusal itemRefusal = SandboxOrderValidation.itemShape(body.path("items"));
        if (itemRefusal != null) {
            return refuse(exchange, itemRefusal);
        }
        String patientId = body.path("patient").path("patient_id").asText();
        if (!patients.containsKey(patientId)) {
            return answer(exchange, 422, error(42206, "invalid patient id", "patient.patient_id"));
        }
        Integer addressCode = addressError(body.path("address"));
        if (addressCode != null) {
            return answer(exchange, 422, error(addressCode, "invalid address", ADDRESS_FIELDS.get(addressCode)));
        }
        String addressRefused = shippingAddresses.refusal(body.path("address"), body.path("shipping").path("method_id").asInt());
        if (addressRefused != null) {
            return answer(exchange, 422, addressRefused);
        }
        long prescriptionId = -1;
        for (JsonNode item : body.path("items")) {
            if (item.has("prescription_id")) {
                ObjectNode rx = prescriptions.get(item.path("prescription_id").asLong());
                if (rx == null || !rx.path("patient_id").asText().equals(patientId)) {
                    return answer(exchange, 422, error(42242, "prescription not found for this patient", "items.prescription_id"));
                }
                if (!rx.path("active").asBoolean(true) || OffsetDateTime.parse(rx.path("expire_date").asText()).isBefore(now())) {
                    return answer(exchange, 422, error(42243, "prescription expired or inactive", "items.prescription_id"));
                }
                if (rx.path("fills").asInt() > 0 && rx.path("refills_left").asInt() <= 0) {
                    return answer(exchange, 422, error(42244, "no refills left", "items.prescription_id"));
                }
                if (products().path("products").findValuesAsText("ndc").stream().noneMatch(rx.path("ndc").asText()::equals)) {
                    return answer(exchange, 422, error(42241, "invalid item NDC", "items.prescription_id"));
                }
                if (SandboxOrderValidation.controlled(rx.get("drug_schedule"))) {
                    SandboxOrderValidation.Refusal documents = SandboxOrderValidation.identityDocuments(body);
                    if (documents != null) {
                        return refuse(exchange, documents);
                    }
                }
                prescriptionId = rx.path("prescription_id").asLong();
            } else if (products().path("products").findValuesAsText("sku").stream().noneMatch(item.path("sku").asText()::equals)) {
                return answer(exchange, 422, error(42240, "unknown sku", "items.sku"));
            }
        }
        Order inFlight = identicalInFlight(body);
        if (inFlight != null) {
            LOG.info("sandbox: order request identical to order {} in flight answered 409", inFlight.number);
            return answer(exchange, 409, conflict(DUPLICATE));
        }
        Order order = newOrder(patientId, prescriptionId, body.path("items"), body.path("shipping"));
        shippingAddresses.remember(order.number, body.path("address"));
        firstOrderReceivedAt.putIfAbsent(prescriptionId, clock.instant());
        LOG.info("sandbox: order {} created for prescription {}", order.number, prescriptionId);
        return answer(exchange, 201, mapper.writeValueAsString(mapper.createObjectNode().set("order", orderJson(order))));
    }

    /** A new order in Processing, its prescription counted down, RX_UPDATED queued. */
    private Order newOrder(String patientId, long prescriptionId, JsonNode items, JsonNode shipping) {
        return newOrder(patientId, prescriptionId, items, shipping, true);
    }

    /** A replacement of a shipped order (SandboxReorders): its items and shipping, not counted as a fill. */
    Order newReorder(Order original) {
        Order replacement = newOrder(original.patientId, original.prescriptionId, original.json.path("items"),
                original.json.path("shipping"), false);
        JsonNode address = shippingAddresses.address(original.number);
        if (address != null) {
            shippingAddresses.remember(replacement.number, address);
        }
        return replacement;
    }

    private Order newOrder(String patientId, long prescriptionId, JsonNode items, JsonNode shipping, boolean countsAsFill) {
        int sequence = nextOrder++;
        String number = "HB" + Integer.toString(46655 + sequence, 36).toUpperCase(Locale.ROOT);
        ObjectNode rx = prescriptions.get(prescriptionId);
        if (countsAsFill && rx != null) {
            rx.put("fills", rx.path("fills").asInt() + 1);
            rx.put("refills_left", Math.max(0, rx.path("refills_left").asInt() - 1));
        }
        OffsetDateTime orderDate = now();
        ObjectNode json = mapper.createObjectNode();
        json.put("order_number", number).put("order_status", "Processing").put("order_date", orderDate.toString());
        json.put("patient_id", patientId);
        json.set("items", items.deepCopy());
        json.set("shipping", shipping.deepCopy());
        Order order = new Order(number, patientId, prescriptionId, sequence, orderDate, json);
        orders.put(number, order);
        if (rx != null) {
            webhooks.add(rxUpdated(order));
        }
        return order;
    }

    /**
     * An order placed from Honeybee's Orders Dashboard (or by another system), outside the partner's API
     * calls: Honeybee reports it with RX_UPDATED like any other. Answers its order number.
     */
    public synchronized String placeFromDashboard(long prescriptionId) {
        ObjectNode rx = prescriptions.get(prescriptionId);
        if (rx == null) {
            throw new IllegalArgumentException("no sandbox prescription " + prescriptionId);
        }
        ArrayNode items = mapper.createArrayNode();
        items.addObject().put("prescription_id", prescriptionId);
        Order order = newOrder(rx.path("patient_id").asText(), prescriptionId, items, mapper.createObjectNode().put("method_id", 1));
        LOG.info("sandbox: order {} placed from the Orders Dashboard for prescription {}", order.number, prescriptionId);
        return order.number;
    }

    private synchronized String listOrders(Exchange exchange, String patientId) throws Exception {
        ArrayNode list = mapper.createArrayNode();
        for (Order order : orders.values()) {
            if (patientId == null || patientId.equals(order.patientId)) {
                list.add(orderJson(order));
            }
        }
        return answer(exchange, 200, mapper.writeValueAsString(mapper.createObjectNode().set("orders", list)));
    }

    /** GET /v1/orders/{order_number}: the order wrapped in "order" (the assumed shape), or 404. */
    private synchronized String getOrder(Exchange exchange, String number) throws Exception {
        Order order = orders.get(number);
        if (order == null) {
            return answer(exchange, 404, error(404, "order not found"));
        }
        return answer(exchange, 200, mapper.writeValueAsString(mapper.createObjectNode().set("order", orderJson(order))));
    }

    /** POST /v1/simulate: 202 at once, the webhook on the clock's next step ({@link SandboxSimulator}). */
    private String simulate(Exchange exchange) throws Exception {
        JsonNode body;
        try {
            body = mapper.readTree(exchange.getMessage().getBody(String.class));
        } catch (Exception e) {
            return answer(exchange, 400, error(400, "body is not JSON"));
        }
        SandboxSimulator simulator = new SandboxSimulator(this, mapper);
        SandboxOrderValidation.Refusal refusal = body == null || !body.isObject()
                ? new SandboxOrderValidation.Refusal(400, 400, "simulation_type", "body must be a JSON object") : simulator.check(body);
        if (refusal != null) {
            return refuse(exchange, refusal);
        }
        return answer(exchange, 202, mapper.writeValueAsString(simulator.simulate(body)));
    }

    /**
     * An order created within the duplicate window, still Processing, for the same patient and items: Honeybee's
     * "conflicting with another recent request" (409), which the partner must treat as already in flight.
     */
    private Order identicalInFlight(JsonNode body) {
        if (duplicateWindowMs <= 0) {
            return null;
        }
        OffsetDateTime since = now().minusNanos(duplicateWindowMs * 1_000_000L);
        for (Order order : orders.values()) {
            if (order.status.equals("Processing") && order.orderDate.isAfter(since)
                    && SandboxOrderValidation.identical(body.path("patient").path("patient_id"), body.path("items"),
                            order.json.path("patient_id"), order.json.path("items"))) {
                return order;
            }
        }
        return null;
    }

    private String refuse(Exchange exchange, SandboxOrderValidation.Refusal refusal) throws Exception {
        return answer(exchange, refusal.status(), error(refusal.code(), refusal.message(), refusal.field()));
    }

    private synchronized String orderAction(Exchange exchange, String number) throws Exception {
        Order order = orders.get(number);
        if (order == null) {
            return answer(exchange, 404, error(404, "order not found"));
        }
        JsonNode body = mapper.readTree(exchange.getMessage().getBody(String.class));
        String event = body.path("event").asText("");
        actionRequests.add(body);
        if (!EVENTS.contains(event)) {
            return answer(exchange, 422, error(422, "unknown event"));
        }
        if (event.equals("REQUEST_REFUND_BY_PARTNER")
                && refundReasons().path("refund_reasons").findValuesAsText("id").stream().noneMatch(body.path("reason_id").asText()::equals)) {
            return answer(exchange, 422, error(422, "reason_id is required and must be a refund reason"));
        }
        switch (event) {
            case "VERIFIED_BY_PARTNER" -> {
                if (!order.status.equals("On Hold")) {
                    return answer(exchange, 409, conflict("order is not on hold"));
                }
                order.status = "Filling";
                order.holdRequested = false;
                webhooks.add(rxUpdated(order));
            }
            case "CANCEL_BY_PARTNER" -> {
                if (order.status.equals("Shipped") || order.status.equals("Delivered") || order.status.equals("Canceled")) {
                    return answer(exchange, 409, conflict("order can no longer be canceled"));
                }
                order.status = "Canceled";
                webhooks.add(rxUpdated(order));
            }
            case "PUT_ON_HOLD_BY_PARTNER" -> order.holdRequested = true;
            default -> { }
        }
        LOG.info("sandbox: order {} got partner action {}", number, event);
        ObjectNode answer = mapper.createObjectNode();
        answer.putObject("partner_order_action_request").put("order_number", number).put("event", event);
        return answer(exchange, 201, mapper.writeValueAsString(answer));
    }

    /** The Test Prescription endpoint: a JSON object of the dashboard's fields, else 400 naming what is wrong. */
    private String testPrescription(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode form;
        try {
            form = body == null || body.isBlank() ? null : mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            form = null;
        }
        if (form == null || !form.isObject()) {
            return answer(exchange, 400, error(400, "the body must be one JSON object of the Test Prescription fields"
                    + " (Content-Type: application/json), e.g. {\"first_name\":\"Honee\",\"email\":\"honee@example.com\",\"refills\":2}"));
        }
        ObjectNode created = createTestPrescription(form);
        return answer(exchange, 201, mapper.writeValueAsString(created));
    }

    // ---- the Test Prescription feature and the order life -----------------------------------------

    /**
     * Creates a simulated patient (if new) and prescription, and queues RX_RECEIVED. Form fields as the
     * dashboard's: first_name, last_name, dob, email, phone, ehr_id (generated when absent), ndc,
     * refills (default 0), sig_text. Answers the ids.
     */
    public synchronized ObjectNode createTestPrescription(JsonNode form) {
        String patientId = form.hasNonNull("ehr_id") ? form.get("ehr_id").asText()
                : UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        ObjectNode patient = mapper.createObjectNode();
        patient.put("patient_id", patientId);
        for (String field : new String[] {"first_name", "last_name", "dob", "gender", "email", "phone"}) {
            if (form.hasNonNull(field)) {
                patient.put(field, form.get(field).asText());
            }
        }
        ObjectNode safety = patient.putObject("patient_safety");
        safety.putArray("health_conditions");
        safety.putArray("medications");
        safety.putArray("allergies");
        patients.put(patientId, patient);

        String ndc = form.path("ndc").asText("67877032105");
        JsonNode product = product(ndc);
        long id = nextPrescriptionId++;
        ObjectNode rx = mapper.createObjectNode();
        rx.put("id", id).put("prescription_id", id).put("patient_id", patientId).put("active", true)
                .put("prescriber_name", form.path("prescriber_name").asText("Sandbox Prescriber")).put("receive_date", now().toString())
                .put("drug_name", form.hasNonNull("drug_name") ? form.get("drug_name").asText()
                        : product == null ? "TEST DRUG" : product.path("name").asText())
                .put("ndc", ndc).put("sig_text", form.path("sig_text").asText("Take 1 tablet by mouth daily."))
                .put("written_qty", form.path("written_qty").asInt(30)).put("refills_left", form.path("refills").asInt(0))
                .put("expire_date", form.hasNonNull("expire_date") ? form.get("expire_date").asText() : now().plusYears(1).toString())
                .put("fills", 0);
        // "0" as in the guide's samples, or the form's value as given (Honeybee's own examples send the integer 4)
        rx.set("drug_schedule", form.hasNonNull("drug_schedule") ? form.get("drug_schedule") : mapper.getNodeFactory().textNode("0"));
        prescriptions.put(id, rx);
        ObjectNode event = envelope("RX_RECEIVED", patientId);
        ObjectNode request = rx.deepCopy();
        request.remove("patient_id");
        request.remove("fills");
        event.putArray("medication_requests").add(request);
        webhooks.add(bytes(event));
        LOG.info("sandbox: test prescription {} created for patient {}", id, patientId);
        return mapper.createObjectNode().put("prescription_id", id).put("patient_id", patientId);
    }

    /**
     * One step of time: each open order moves one status on (Processing → Filling → Shipped →
     * Delivered; the configured n-th order goes On Hold with an ORDER_EXCEPTION instead of Filling),
     * and the webhooks due are handed out, with the duplicate and out-of-order knobs applied.
     */
    public synchronized List<byte[]> tick() {
        for (Order order : orders.values()) {
            advance(order);
        }
        List<byte[]> due = new ArrayList<>(webhooks);
        webhooks.clear();
        List<byte[]> delivery = new ArrayList<>();
        for (int i = 0; i < due.size(); i++) {
            if (i + 1 < due.size() && faults.roll(faults.outOfOrderRate())) {
                delivery.add(due.get(i + 1));
                delivery.add(due.get(i));
                i++;
            } else {
                delivery.add(due.get(i));
            }
        }
        List<byte[]> withDuplicates = new ArrayList<>();
        for (byte[] webhook : delivery) {
            if (faults.roll(faults.loseWebhookRate())) {
                LOG.info("sandbox: a webhook was lost (honeybee.sandbox.fault.lose-webhook-rate)");
                continue;
            }
            withDuplicates.add(webhook);
            if (faults.roll(faults.duplicateRate())) {
                withDuplicates.add(webhook);
            }
        }
        return withDuplicates;
    }

    /** A webhook the partner did not accept goes back in line, as Honeybee would deliver it again. */
    public synchronized void redeliverLater(byte[] webhook) {
        webhooks.addLast(webhook);
    }

    private void advance(Order order) {
        int queued = webhooks.size();
        switch (order.status) {
            case "Processing" -> {
                if (order.holdRequested || (exceptionOnOrder > 0 && order.sequence == exceptionOnOrder)) {
                    order.status = "On Hold";
                    webhooks.add(orderException(order));
                } else {
                    order.status = "Filling";
                    webhooks.add(rxUpdated(order));
                }
            }
            case "Filling" -> {
                order.status = "Shipped";
                order.trackingNo = String.valueOf(774899000000L + order.sequence);
                order.shippedAt = now();
                webhooks.add(shipmentUpdated(order, List.of(scan(order, "PU", "Picked Up", 0), scan(order, "IT", "In Transit", 2))));
            }
            case "Shipped" -> {
                order.status = "Delivered";
                webhooks.add(shipmentUpdated(order, List.of(scan(order, "PU", "Picked Up", 0), scan(order, "IT", "In Transit", 2),
                        scan(order, "DL", "Delivered", 26))));
            }
            default -> { }
        }
        if (!prescriptions.containsKey(order.prescriptionId)) {
            // an order of add-ons alone has no medication request to report: its status changes unannounced
            while (webhooks.size() > queued) {
                webhooks.removeLast();
            }
        }
    }

    // ---- payloads ------------------------------------------------------------------------------------

    private byte[] rxUpdated(Order order) {
        ObjectNode event = envelope("RX_UPDATED", order.patientId);
        ObjectNode rx = prescriptions.getOrDefault(order.prescriptionId, mapper.createObjectNode());
        ObjectNode request = event.putArray("medication_requests").addObject();
        request.put("id", order.prescriptionId).put("drug_name", rx.path("drug_name").asText())
                .put("ndc", rx.path("ndc").asText()).put("refills_left", rx.path("refills_left").asInt());
        dispense(request.putArray("medication_dispenses").addObject(), order).putNull("shipment");
        return bytes(event);
    }

    private byte[] shipmentUpdated(Order order, List<ObjectNode> scans) {
        ObjectNode event = envelope("SHIPMENT_UPDATED", order.patientId);
        ObjectNode dispense = event.putArray("medication_requests").addObject().putArray("medication_dispenses").addObject();
        dispense.put("order_number", order.number).put("order_status", order.status);
        ObjectNode shipment = dispense.putObject("shipment");
        shipment.put("shipment_date", order.shippedAt.toString())
                .put("tracking_url", "https://www.fedex.com/fedextrack/?trknbr=" + order.trackingNo)
                .put("tracking_no", order.trackingNo).put("carrier", "FedEx").put("method", "FedEx Priority Overnight");
        shipment.set("latest_shipment_update", scans.get(scans.size() - 1).deepCopy());
        ArrayNode updates = shipment.putArray("shipment_updates");
        for (int i = scans.size() - 1; i >= 0; i--) {
            updates.add(scans.get(i));
        }
        return bytes(event);
    }

    private byte[] orderException(Order order) {
        ObjectNode event = envelope("ORDER_EXCEPTION", order.patientId);
        ObjectNode exception = event.putObject("exception");
        exception.put("id", nextException++).put("order_number", order.number).put("name", exceptionName)
                .put("message", exceptionName + ": see the hold reason in the Orders Dashboard");
        ArrayNode actions = exception.putArray("order_actions");
        actions.addObject().put("event_key", "verified_by_partner")
                .put("action", "API Update - Update your order via our API and validate with the Partner Request Order Action API");
        actions.addObject().put("event_key", "cancel_by_partner").put("action", "API Cancel - Cancel your order via our API");
        return bytes(event);
    }

    private ObjectNode dispense(ObjectNode node, Order order) {
        ObjectNode rx = prescriptions.getOrDefault(order.prescriptionId, mapper.createObjectNode());
        JsonNode product = product(rx.path("ndc").asText());
        node.put("order_number", order.number).put("order_status", order.status).put("order_date", order.orderDate.toString())
                .put("product_name", product == null ? rx.path("drug_name").asText() : product.path("product_name").asText())
                .put("strength", product == null ? "" : product.path("strength").asText())
                .put("form", product == null ? "" : product.path("form").asText());
        return node;
    }

    /** A carrier scan at a fixed time after the order shipped: the same scan always has the same time. */
    private ObjectNode scan(Order order, String code, String description, int hoursAfterShipping) {
        return mapper.createObjectNode().put("event_code", code).put("description", description)
                .put("occurred_at", order.shippedAt.plusHours(hoursAfterShipping).toString());
    }

    private ObjectNode envelope(String type, String patientId) {
        return mapper.createObjectNode().put("event_id", UUID.randomUUID().toString()).put("patient_id", patientId).put("event_type", type);
    }

    ObjectNode orderJson(Order order) {
        ObjectNode json = order.json.deepCopy();
        json.put("order_status", order.status);
        return json;
    }

    // ---- catalogues ----------------------------------------------------------------------------------

    private ObjectNode shippingMethods() {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("shipping_methods");
        list.addObject().put("id", 1).put("name", "USPS Priority Mail");
        list.addObject().put("id", 2).put("name", "FedEx Priority Overnight");
        return root;
    }

    private ObjectNode products() {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("products");
        list.addObject().put("name", "ESTRADIOL 1MG TABLET").put("product_name", "Estradiol").put("strength", "1 mg")
                .put("form", "Tablet").put("ndc", "67877032105");
        list.addObject().put("name", "SERTRALINE 50MG TABLET").put("product_name", "Sertraline").put("strength", "50 mg")
                .put("form", "Tablet").put("ndc", "16714061204");
        list.addObject().put("name", "Branded pill organizer").put("product_name", "Pill organizer").put("sku", "HB-ORGANIZER");
        list.addObject().put("name", "Welcome insert").put("product_name", "Welcome insert").put("sku", "HB-INSERT");
        return root;
    }

    private ObjectNode refundReasons() {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("refund_reasons");
        list.addObject().put("id", 1).put("name", "Patient request");
        list.addObject().put("id", 2).put("name", "Damaged in transit");
        return root;
    }

    private JsonNode product(String ndc) {
        for (JsonNode product : products().path("products")) {
            if (ndc.equals(product.path("ndc").asText())) {
                return product;
            }
        }
        return null;
    }

    // ---- validation ----------------------------------------------------------------------------------

    /** The first shape problem of an order body as {field, message}, or null. */
    private static String[] shapeError(JsonNode body) {
        if (!body.path("patient").isObject() || !body.path("patient").path("patient_id").isTextual()) {
            return new String[] {"patient.patient_id", "patient.patient_id is required"};
        }
        if (!body.path("patient").path("patient_safety").isObject()) {
            return new String[] {"patient.patient_safety", "patient.patient_safety is required"};
        }
        if (!body.path("items").isArray() || body.path("items").isEmpty()) {
            return new String[] {"items", "items must be a non-empty array"};
        }
        for (JsonNode item : body.path("items")) {
            if (!(item.path("prescription_id").isIntegralNumber() || item.path("sku").isTextual())) {
                return new String[] {"items", "each item needs an integer prescription_id or a sku"};
            }
        }
        if (!body.path("shipping").path("method_id").isIntegralNumber()) {
            return new String[] {"shipping.method_id", "shipping.method_id must be an integer"};
        }
        int method = body.path("shipping").path("method_id").asInt();
        if (method != 1 && method != 2) {
            return new String[] {"shipping.method_id", "shipping.method_id is not a shipping method"};
        }
        if (!body.path("address").isObject()) {
            return new String[] {"address", "address is required"};
        }
        return null;
    }

    /** Every failing address field as code → error_detail field (SandboxShippingAddress), in the order Honeybee lists them. */
    Map<Integer, String> addressErrors(JsonNode address) {
        Map<Integer, String> failures = new java.util.TreeMap<>();
        if (address.path("first_name").asText("").isBlank()) {
            failures.put(42221, ADDRESS_FIELDS.get(42221));
        }
        if (address.path("last_name").asText("").isBlank()) {
            failures.put(42222, ADDRESS_FIELDS.get(42222));
        }
        if (address.path("street1").asText("").isBlank()) {
            failures.put(42223, ADDRESS_FIELDS.get(42223));
        }
        if (address.path("city").asText("").isBlank()) {
            failures.put(42225, ADDRESS_FIELDS.get(42225));
        }
        String state = address.path("state").asText("");
        if (!STATES.contains(state)) {
            failures.put(42226, ADDRESS_FIELDS.get(42226));
        }
        if (!address.path("zip").asText("").matches("\\d{5}(-\\d{4})?")) {
            failures.put(42227, ADDRESS_FIELDS.get(42227));
        }
        if (STATES.contains(state) && unshippableStates.contains(state)) {
            failures.put(42231, ADDRESS_FIELDS.get(42231));
        }
        return failures;
    }

    /** The order (SandboxShippingAddress, SandboxReorders; callers hold the sandbox's lock), or null. */
    Order order(String number) {
        return orders.get(number);
    }

    /** Whether the order's prescription is a controlled substance (drug_schedule 2 to 5). */
    boolean controlledSubstance(Order order) {
        ObjectNode rx = prescriptions.get(order.prescriptionId);
        String schedule = rx == null ? "0" : rx.path("drug_schedule").asText("0");
        return schedule.matches("[2-5]");
    }

    private Integer addressError(JsonNode address) {
        if (address.path("first_name").asText("").isBlank()) {
            return 42221;
        }
        if (address.path("last_name").asText("").isBlank()) {
            return 42222;
        }
        if (address.path("street1").asText("").isBlank()) {
            return 42223;
        }
        if (address.path("city").asText("").isBlank()) {
            return 42225;
        }
        String state = address.path("state").asText("");
        if (!STATES.contains(state)) {
            return 42226;
        }
        if (!address.path("zip").asText("").matches("\\d{5}(-\\d{4})?")) {
            return 42227;
        }
        if (unshippableStates.contains(state)) {
            return 42231;
        }
        return null;
    }

    // ---- helpers and what tests look at --------------------------------------------------------------

    private String retryLater(Exchange exchange, int status) throws Exception {
        exchange.getMessage().setHeader("Retry-After", String.valueOf(faults.retryAfterSeconds()));
        return answer(exchange, status, error(status, status == 429 ? "too many requests" : "service unavailable"));
    }

    String answer(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return body;
    }

    String error(int code, String message) throws Exception {
        return error(code, message, null);
    }

    /** Honeybee's documented error body, with the refused field in error_detail when there is one. */
    String error(int code, String message, String field) throws Exception {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject().put("code", code).put("message", message);
        if (field != null) {
            error.putArray("error_detail").addObject().put("field", field).put("message", message);
        }
        return mapper.writeValueAsString(root);
    }

    /** Honeybee's documented 409 body. */
    String conflict(String message) throws Exception {
        ObjectNode root = mapper.createObjectNode();
        root.putObject("error").put("error_code", 409).put("message", message);
        return mapper.writeValueAsString(root);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a sandbox webhook", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        if (body == null) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The name of the exceptions the sandbox raises (State Invalid, Prescription Expired, Payment Issue...). */
    public void setExceptionName(String name) {
        this.exceptionName = name;
    }

    /** A POST /orders identical to an order created this recently and still Processing answers 409 (0 = never). */
    public void setDuplicateWindowMs(long millis) {
        this.duplicateWindowMs = millis;
    }

    /** Revokes every access token, as an expiry or a credential rotation at Honeybee would. */
    public synchronized void revokeTokens() {
        tokens.clear();
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    public int orderPosts() {
        return orderPosts.get();
    }

    public synchronized List<JsonNode> orderRequests() {
        return List.copyOf(orderRequests);
    }

    /** The body of every POST /orders as received, faulted ones included (orderRequests holds those that reached validation). */
    public synchronized List<String> orderBodiesReceived() {
        return List.copyOf(orderBodiesReceived);
    }

    public synchronized List<JsonNode> actionRequests() {
        return List.copyOf(actionRequests);
    }

    public synchronized int orderCount() {
        return orders.size();
    }

    public synchronized List<String> orderNumbersFor(long prescriptionId) {
        return orders.values().stream().filter(o -> o.prescriptionId == prescriptionId).map(o -> o.number).toList();
    }

    public synchronized String orderStatus(String number) {
        Order order = orders.get(number);
        return order == null ? null : order.status;
    }

    /** When the first order for a prescription reached the sandbox (for end-to-end latency), or null. */
    public synchronized Instant firstOrderReceivedAt(long prescriptionId) {
        return firstOrderReceivedAt.get(prescriptionId);
    }

    /** The order's shipping address as the sandbox holds it now (after corrections), or null. */
    public synchronized JsonNode shippingAddress(String number) {
        return shippingAddresses.address(number);
    }

    /** The replacement a reorder of the order created, or null. */
    public String replacementOf(String number) {
        return reorders.replacementOf(number);
    }

    /** How many POST /orders/{n}/reorders reached the sandbox. */
    public int reorderPosts() {
        return reorders.posts();
    }

    /** Sets an order's status directly (tests: an order the bundle still thinks Processing, shipped at Honeybee). */
    public synchronized void setOrderStatus(String number, String status) {
        orders.get(number).status = status;
    }

    /** Sets a prescription's drug_schedule ("2" to "5": a controlled substance), for tests. */
    public synchronized void setDrugSchedule(long prescriptionId, String schedule) {
        prescriptions.get(prescriptionId).put("drug_schedule", schedule);
    }

    /** Sets a prescription's refills_left, for tests of the refill rules. */
    public synchronized void setRefillsLeft(long prescriptionId, int refills) {
        prescriptions.get(prescriptionId).put("refills_left", refills);
    }
}
