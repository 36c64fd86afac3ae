package com.example.honeybee.orders;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.example.honeybee.record.OrderStatus;

/**
 * A prescription's fills as far as the bundle knows them: the outbox's rows (what we placed or are
 * placing) and every order Honeybee reported for the prescription in RX_UPDATED / SHIPMENT_UPDATED,
 * including orders no row of ours placed (from Honeybee's Orders Dashboard or another system). Both
 * count: the bundle never places a fill Honeybee already reported.
 *
 * @param fills  the outbox rows of the prescription, by fill number
 * @param orders the orders holding the prescription in the local record, oldest first
 */
public record FillHistory(List<Fill> fills, List<ReportedOrder> orders) {

    /**
     * One order of the prescription as the local record holds it.
     *
     * @param orderNumber Honeybee's order_number
     * @param status      the order's status (Honeybee's title-case label)
     * @param orderDate   Honeybee's order_date, when reported
     * @param recordedAt  when the local record first held the order
     * @param placedByFill whether an outbox row of ours placed it
     */
    public record ReportedOrder(String orderNumber, String status, OffsetDateTime orderDate, OffsetDateTime recordedAt,
                                boolean placedByFill) {

        /** Still a fill in progress: neither Shipped, Delivered nor Canceled (Honeybee's "one fill at a time"). */
        public boolean isOpen() {
            return OrderStatus.parse(status).map(s -> s != OrderStatus.SHIPPED && !s.isFinal()).orElse(true);
        }

        /** A canceled order filled nothing, so it does not count as a fill. */
        public boolean countsAsFill() {
            return OrderStatus.parse(status).map(s -> s != OrderStatus.CANCELED).orElse(true);
        }

        OffsetDateTime when() {
            return orderDate != null ? orderDate : recordedAt;
        }
    }

    /** Orders Honeybee reported that no outbox row of ours placed. */
    public List<ReportedOrder> placedOutside() {
        return orders.stream().filter(o -> !o.placedByFill()).toList();
    }

    /** The first order placed outside the bundle that is still in progress, if any. */
    public Optional<ReportedOrder> openOutside() {
        return placedOutside().stream().filter(ReportedOrder::isOpen).findFirst();
    }

    /**
     * The number of the next fill: one more than the fills so far, counting the outbox's rows (their highest
     * number, which already counted what was reported before them) and the orders placed outside the bundle
     * that did fill (not canceled). 1 for a prescription with neither.
     */
    public int nextFillNumber() {
        int highest = fills.stream().mapToInt(Fill::fillNumber).max().orElse(0);
        long outside = placedOutside().stream().filter(ReportedOrder::countsAsFill).count();
        return Math.max(highest, fills.size() + (int) outside) + 1;
    }

    /** The newest order of the prescription, whoever placed it. */
    public Optional<ReportedOrder> latestOrder() {
        return orders.stream().max(Comparator.comparing(ReportedOrder::when, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /** Orders placed outside the bundle that reached the local record after {@code since} and filled (not canceled). */
    public List<ReportedOrder> placedOutsideSince(OffsetDateTime since) {
        return placedOutside().stream().filter(ReportedOrder::countsAsFill)
                .filter(o -> o.recordedAt() != null && since != null && o.recordedAt().isAfter(since)).toList();
    }
}
