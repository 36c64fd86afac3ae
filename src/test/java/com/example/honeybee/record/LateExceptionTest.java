package com.example.honeybee.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The late rule on its own: Honeybee's timestamps where both are known, else arrival after Shipped/Delivered/Canceled. */
class LateExceptionTest {

    private static final OffsetDateTime SCAN = OffsetDateTime.parse("2024-03-15T09:28:57.000-07:00");

    @Test
    void withoutTimestampsAnExceptionIsLateOnlyOnceTheOrderShippedWasDeliveredOrCanceled() {
        for (OrderStatus status : new OrderStatus[] {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELED}) {
            assertThat(LateException.reason(Optional.of(status), null, null)).as("%s", status)
                    .contains("late: arrived after the order was " + status.label());
        }
        for (OrderStatus status : new OrderStatus[] {OrderStatus.PROCESSING, OrderStatus.FILLING, OrderStatus.ON_HOLD}) {
            assertThat(LateException.reason(Optional.of(status), null, null)).as("%s", status).isEmpty();
        }
        assertThat(LateException.reason(Optional.empty(), null, null)).as("order not known yet").isEmpty();
        assertThat(LateException.reason(Optional.of(OrderStatus.DELIVERED), SCAN, null)).as("one timestamp only: arrival decides")
                .isPresent();
    }

    @Test
    void withBothTimestampsTheOlderExceptionIsLateWhateverItsArrival() {
        assertThat(LateException.reason(Optional.of(OrderStatus.DELIVERED), SCAN.minusSeconds(1), SCAN)).isPresent();
        assertThat(LateException.reason(Optional.of(OrderStatus.DELIVERED), SCAN.plusSeconds(1), SCAN)).isEmpty();
        assertThat(LateException.reason(Optional.of(OrderStatus.DELIVERED), SCAN, SCAN)).as("same instant is not older").isEmpty();
    }
}
