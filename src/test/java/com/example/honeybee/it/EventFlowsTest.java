package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.record.ExceptionRepository;
import com.example.honeybee.record.OrderRepository;
import com.example.honeybee.record.Prescription;
import com.example.honeybee.record.PrescriptionRepository;
import com.example.honeybee.record.ShipmentRepository;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each event type from intake to the local record, on a fresh database per test. */
class EventFlowsTest {

    private RunningBundle bundle;

    @BeforeEach
    void start() {
        bundle = startBundle();
    }

    /** The bundle under test; the PostgreSQL variant of this test starts it on PostgreSQL. */
    protected RunningBundle startBundle() {
        return RunningBundle.start(Map.of());
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    @Test
    void rxReceivedStoresThePrescription() {
        deliver("rx-received.json");

        Prescription rx = bean("honeybeePrescriptions", PrescriptionRepository.class).find(183601).orElseThrow();
        assertThat(rx.patientId()).isEqualTo("ay87nt");
        assertThat(rx.active()).isTrue();
        assertThat(rx.drugName()).isEqualTo("ESTRADIOL 1MG TABLET");
        assertThat(rx.ndc()).isEqualTo("67877032105");
        assertThat(rx.sigText()).isEqualTo("Take 1 tablet by mouth daily.");
        assertThat(rx.writtenQty()).isEqualByComparingTo(new BigDecimal("90"));
        assertThat(rx.refillsLeft()).isEqualTo(11);
        assertThat(rx.expireDate()).isEqualTo(OffsetDateTime.parse("2025-03-13T17:00:00.000-07:00"));
        assertThat(rx.drugSchedule()).isEqualTo("0");
        assertThat(rx.receiveDate()).isEqualTo(OffsetDateTime.parse("2024-03-14T13:17:54.906-07:00"));
    }

    @Test
    void rxUpdatedStoresTheOrderAndCountsRefillsDown() {
        deliver("rx-received.json");
        deliver("rx-updated.json");

        OrderRepository orders = bean("honeybeeOrders", OrderRepository.class);
        OrderRepository.Order order = orders.find("XQ05O2A").orElseThrow();
        assertThat(order.status()).isEqualTo("Filling");
        assertThat(order.patientId()).isEqualTo("ay87nt");
        assertThat(order.orderDate()).isEqualTo(OffsetDateTime.parse("2024-03-14T13:17:54.906-07:00"));
        assertThat(orders.prescriptionIds("XQ05O2A")).containsExactly(183601L);
        Prescription rx = bean("honeybeePrescriptions", PrescriptionRepository.class).find(183601).orElseThrow();
        assertThat(rx.refillsLeft()).isEqualTo(10);
        assertThat(rx.ndc()).isEqualTo("62135040012");
    }

    @Test
    void shipmentUpdatedStoresTrackingAndMovesTheOrderToShipped() {
        deliver("rx-updated.json");
        deliver("shipment-updated.json");

        assertThat(bean("honeybeeOrders", OrderRepository.class).find("XQ05O2A").orElseThrow().status()).isEqualTo("Shipped");
        ShipmentRepository shipments = bean("honeybeeShipments", ShipmentRepository.class);
        ShipmentRepository.Shipment shipment = shipments.find("XQ05O2A").orElseThrow();
        assertThat(shipment.trackingNo()).isEqualTo("774899172137");
        assertThat(shipment.trackingUrl()).isEqualTo("https://www.fedex.com/fedextrack/?trknbr=774899172137");
        assertThat(shipment.carrier()).isEqualTo("FedEx");
        assertThat(shipment.method()).isEqualTo("FedEx Priority Overnight");
        assertThat(shipment.latestEventCode()).isEqualTo("IT");
        assertThat(shipments.trackingEvents("XQ05O2A")).extracting(ShipmentRepository.TrackingEvent::eventCode)
                .containsExactly("PU", "IT");
    }

    @Test
    void laterShipmentUpdatesMergeByCodeAndTimeWhateverTheirOrder() {
        deliver("shipment-updated.json");
        String delivered = new String(payload("shipment-updated.json", "delivered-1"), StandardCharsets.UTF_8)
                .replace("\"order_status\": \"Shipped\"", "\"order_status\": \"Delivered\"")
                .replace("\"event_code\": \"IT\",\n              \"description\": \"In Transit\",\n              \"occurred_at\": \"2024-03-15T09:28:57.000-07:00\"",
                        "\"event_code\": \"DL\",\n              \"description\": \"Delivered\",\n              \"occurred_at\": \"2024-03-16T10:00:00.000-07:00\"");
        deliverRaw(delivered.getBytes(StandardCharsets.UTF_8), "delivered-1");
        // the first update again, late: adds nothing and does not move the shipment back
        deliverRaw(payload("shipment-updated.json", "late-repeat"), "late-repeat");

        ShipmentRepository shipments = bean("honeybeeShipments", ShipmentRepository.class);
        assertThat(shipments.trackingEvents("XQ05O2A")).extracting(ShipmentRepository.TrackingEvent::eventCode)
                .containsExactly("PU", "IT", "DL");
        assertThat(shipments.find("XQ05O2A").orElseThrow().latestEventCode()).isEqualTo("DL");
        assertThat(bean("honeybeeOrders", OrderRepository.class).find("XQ05O2A").orElseThrow().status()).isEqualTo("Delivered");
    }

    @Test
    void orderExceptionIsRecordedWithItsActionsAndPutsTheOrderOnHold() {
        deliver("order-exception.json");

        ExceptionRepository.OrderException exception = bean("honeybeeOrderExceptions", ExceptionRepository.class).find(67).orElseThrow();
        assertThat(exception.orderNumber()).isEqualTo("9D84N");
        assertThat(exception.name()).isEqualTo("State Invalid");
        assertThat(exception.status()).isEqualTo("OPEN");
        assertThat(exception.eventKeys()).containsExactly("cancel_by_partner", "verified_by_partner");
        assertThat(bean("honeybeeOrders", OrderRepository.class).find("9D84N").orElseThrow().status()).isEqualTo("On Hold");
    }

    @Test
    void outOfOrderFillingAfterShippedKeepsShipped() {
        deliver("shipment-updated.json");
        deliver("rx-updated.json");

        OrderRepository orders = bean("honeybeeOrders", OrderRepository.class);
        assertThat(orders.find("XQ05O2A").orElseThrow().status()).isEqualTo("Shipped");
        assertThat(orders.history("XQ05O2A")).extracting(OrderRepository.StatusReport::status, OrderRepository.StatusReport::applied)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Shipped", true), org.assertj.core.groups.Tuple.tuple("Filling", false));
    }

    @Test
    void processingTheSameEventsTwiceChangesNothing() {
        List<String> fixtures = List.of("rx-received.json", "rx-updated.json", "shipment-updated.json", "order-exception.json");
        fixtures.forEach(this::deliver);
        String before = snapshot();

        NotifyBuilder again = new NotifyBuilder(bundle.context()).fromCurrentRoute("process-event").whenCompleted(4).create();
        assertThat(bundle.sql().update("UPDATE inbox SET status = 'PENDING', locked_until = NULL")).isEqualTo(4);
        assertThat(again.matches(20, TimeUnit.SECONDS)).isTrue();
        fixtures.forEach(f -> bundle.awaitStatus(WebhookIntakeTest.eventIdOf(payload(f)), InboxStatus.PROCESSED));

        assertThat(snapshot()).isEqualTo(before);
    }

    private void deliver(String fixture) {
        byte[] body = payload(fixture);
        deliverRaw(body, WebhookIntakeTest.eventIdOf(body));
    }

    private void deliverRaw(byte[] body, String eventId) {
        assertThat(bundle.postSigned(body).statusCode()).isEqualTo(200);
        bundle.awaitStatus(eventId, InboxStatus.PROCESSED);
    }

    private <T> T bean(String name, Class<T> type) {
        return bundle.context().getRegistry().lookupByNameAndType(name, type);
    }

    /** Every business column of the local record; timestamps of our own bookkeeping are left out. */
    private String snapshot() {
        StringBuilder all = new StringBuilder();
        for (String query : List.of(
                "SELECT prescription_id, patient_id, active, drug_name, ndc, sig_text, written_qty, refills_left, expire_date,"
                        + " drug_schedule, prescriber_name, receive_date FROM prescription ORDER BY prescription_id",
                "SELECT order_number, patient_id, status, order_date, product_name, strength, form, version FROM rx_order ORDER BY order_number",
                "SELECT order_number, prescription_id, sku FROM rx_order_item ORDER BY order_number, item_key",
                "SELECT order_number, status, event_id, applied FROM rx_order_status_history ORDER BY id",
                "SELECT order_number, tracking_no, tracking_url, carrier, method, shipment_date, latest_event_code FROM shipment ORDER BY order_number",
                "SELECT order_number, event_code, occurred_at, description FROM shipment_tracking_event ORDER BY id",
                "SELECT exception_id, order_number, name, message, status FROM order_exception ORDER BY exception_id",
                "SELECT exception_id, event_key, description FROM order_exception_action ORDER BY exception_id, event_key")) {
            all.append(bundle.sql().query(query, row -> {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    line.append(row.getObject(i)).append('|');
                }
                return line.toString();
            })).append('\n');
        }
        return all.toString();
    }
}
