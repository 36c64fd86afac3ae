package com.example.honeybee.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Fill numbers and "one fill at a time" from our outbox rows plus the orders Honeybee reported. */
class FillHistoryTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-01-01T00:00:00Z");

    private static Fill fill(int number, FillStatus status) {
        return new Fill(number, 7, number, "p", "test", status, 1, T0, status == FillStatus.PLACED ? "OURS" + number : null, null, null,
                null, T0.plusDays(number));
    }

    private static FillHistory.ReportedOrder outside(String number, String status, int day) {
        return new FillHistory.ReportedOrder(number, status, null, T0.plusDays(day), false);
    }

    @Test
    void nextFillNumberCountsOurFillsAndTheOrdersReportedFromOutsideThatFilled() {
        assertThat(new FillHistory(List.of(), List.of()).nextFillNumber()).isEqualTo(1);
        assertThat(new FillHistory(List.of(), List.of(outside("D1", "Delivered", 1))).nextFillNumber()).isEqualTo(2);
        assertThat(new FillHistory(List.of(fill(1, FillStatus.PLACED)), List.of(outside("D1", "Shipped", 3))).nextFillNumber())
                .isEqualTo(3);
        // fill 3 was numbered after the dashboard's order (fill 2): 4 next, not 5
        assertThat(new FillHistory(List.of(fill(1, FillStatus.PLACED), fill(3, FillStatus.PLACED)), List.of(outside("D1", "Delivered", 2)))
                .nextFillNumber()).isEqualTo(4);
        assertThat(new FillHistory(List.of(), List.of(outside("D1", "Canceled", 1))).nextFillNumber()).as("canceled filled nothing")
                .isEqualTo(1);
    }

    @Test
    void anOrderFromOutsideIsInProgressUntilShippedDeliveredOrCanceled() {
        for (String open : new String[] {"Processing", "Filling", "On Hold", "FILLING", "something new"}) {
            assertThat(new FillHistory(List.of(), List.of(outside("D1", open, 1))).openOutside()).as(open).isPresent();
        }
        for (String closed : new String[] {"Shipped", "Delivered", "Canceled", "Cancelled"}) {
            assertThat(new FillHistory(List.of(), List.of(outside("D1", closed, 1))).openOutside()).as(closed).isEmpty();
        }
        FillHistory.ReportedOrder ours = new FillHistory.ReportedOrder("OURS1", "Processing", null, T0, true);
        assertThat(new FillHistory(List.of(fill(1, FillStatus.PLACED)), List.of(ours)).openOutside()).as("ours is not outside").isEmpty();
    }

    @Test
    void ordersReportedAfterAFillWasRequestedAreTheOnesThatSupersedeIt() {
        FillHistory history = new FillHistory(List.of(), List.of(outside("OLD", "Delivered", 1), outside("NEW", "Processing", 5),
                outside("GONE", "Canceled", 6)));

        assertThat(history.placedOutsideSince(T0.plusDays(3))).extracting(FillHistory.ReportedOrder::orderNumber).containsExactly("NEW");
    }
}
