package com.example.honeybee.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import com.example.honeybee.webhook.SignatureVerifier;

/**
 * Generates uniquely identified, correctly signed webhook events (RX_RECEIVED, RX_UPDATED with the
 * statuses of an order, SHIPMENT_UPDATED), and delivers them the way Honeybee might: in random order,
 * some twice, to any of several instances.
 */
final class WebhookLoad {

    record Event(String eventId, String type, byte[] body) {
    }

    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    WebhookLoad(long seed) {
        this.random = new Random(seed);
    }

    /** For each of {@code orders} orders: RX_RECEIVED, RX_UPDATED Filling, SHIPMENT_UPDATED Shipped, SHIPMENT_UPDATED Delivered. */
    List<Event> lifecycles(String prefix, int orders) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            long rx = 700_000L + i;
            String patient = prefix + "p" + i;
            String order = prefix.toUpperCase() + "O" + i;
            events.add(event(prefix + "-rx-" + i, "RX_RECEIVED", patient, "\"medication_requests\":[{\"id\":" + rx + ",\"prescription_id\":" + rx
                    + ",\"active\":true,\"drug_name\":\"LOAD DRUG\",\"ndc\":\"67877032105\",\"refills_left\":3,\"written_qty\":30}]"));
            events.add(event(prefix + "-fill-" + i, "RX_UPDATED", patient, "\"medication_requests\":[{\"id\":" + rx
                    + ",\"refills_left\":2,\"medication_dispenses\":[{\"order_number\":\"" + order + "\",\"order_status\":\"Filling\","
                    + "\"order_date\":\"2026-11-24T10:00:00Z\",\"shipment\":null}]}]"));
            events.add(event(prefix + "-ship-" + i, "SHIPMENT_UPDATED", patient, shipment(order, "Shipped", "IT", "2026-11-24T12:00:00Z")));
            events.add(event(prefix + "-dlv-" + i, "SHIPMENT_UPDATED", patient, shipment(order, "Delivered", "DL", "2026-11-25T12:00:00Z")));
        }
        return events;
    }

    /** The deliveries: every event once, a share of them again, all shuffled (so out of order). */
    List<Event> deliveries(List<Event> events, double duplicateShare) {
        List<Event> deliveries = new ArrayList<>(events);
        for (Event event : events) {
            if (random.nextDouble() < duplicateShare) {
                deliveries.add(event);
            }
        }
        Collections.shuffle(deliveries, random);
        return deliveries;
    }

    /** The last answer to one event's delivery (-1: none came), and how many 503 + Retry-After answers came before it. */
    record Delivery(int status, int deferrals) {
    }

    /** POSTs one event, signed for the URL it goes to; answers the status, or -1 when no answer came. */
    int post(String url, String secret, Event event) {
        HttpResponse<Void> answer = send(url, secret, event);
        return answer == null ? -1 : answer.statusCode();
    }

    /** Delivers one event as Honeybee would ({@link Redelivery}): a 503 + Retry-After is sent again, up to {@code maxDeferrals} times. */
    Delivery deliver(String url, String secret, Event event, int maxDeferrals) throws InterruptedException {
        Redelivery.Delivery<Void> delivery = Redelivery.deliver(() -> send(url, secret, event), maxDeferrals);
        return new Delivery(delivery.last() == null ? -1 : delivery.last().statusCode(), delivery.deferrals());
    }

    /** One signed POST; null when no answer came. */
    private HttpResponse<Void> send(String url, String secret, Event event) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Honeybee-Signature", SignatureVerifier.sign(secret, "POST", url, event.body()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event.body())).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    Random random() {
        return random;
    }

    private static Event event(String id, String type, String patient, String rest) {
        String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"patient_id\":\"" + patient + "\"," + rest + "}";
        return new Event(id, type, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String shipment(String order, String status, String code, String at) {
        return "\"medication_requests\":[{\"medication_dispenses\":[{\"order_number\":\"" + order + "\",\"order_status\":\"" + status
                + "\",\"shipment\":{\"tracking_no\":\"T" + order + "\",\"carrier\":\"FedEx\",\"shipment_updates\":[{\"event_code\":\""
                + code + "\",\"description\":\"" + status + "\",\"occurred_at\":\"" + at + "\"}]}}]}]";
    }
}
