package com.example.honeybee.record;

import static com.example.honeybee.record.OrderStatus.CANCELED;
import static com.example.honeybee.record.OrderStatus.DELIVERED;
import static com.example.honeybee.record.OrderStatus.FILLING;
import static com.example.honeybee.record.OrderStatus.ON_HOLD;
import static com.example.honeybee.record.OrderStatus.PROCESSING;
import static com.example.honeybee.record.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderStatusTest {

    @Test
    void movesForwardOnly() {
        assertThat(PROCESSING.canMoveTo(FILLING)).isTrue();
        assertThat(FILLING.canMoveTo(SHIPPED)).isTrue();
        assertThat(SHIPPED.canMoveTo(DELIVERED)).isTrue();
        assertThat(PROCESSING.canMoveTo(DELIVERED)).isTrue();
        assertThat(SHIPPED.canMoveTo(FILLING)).isFalse();
        assertThat(DELIVERED.canMoveTo(SHIPPED)).isFalse();
        assertThat(FILLING.canMoveTo(PROCESSING)).isFalse();
    }

    @Test
    void onHoldInterruptsAnUnshippedOrderAndIsLeftForwardOrByCancel() {
        assertThat(PROCESSING.canMoveTo(ON_HOLD)).isTrue();
        assertThat(FILLING.canMoveTo(ON_HOLD)).isTrue();
        assertThat(SHIPPED.canMoveTo(ON_HOLD)).isFalse();
        assertThat(ON_HOLD.canMoveTo(FILLING)).isTrue();
        assertThat(ON_HOLD.canMoveTo(CANCELED)).isTrue();
        assertThat(ON_HOLD.canMoveTo(PROCESSING)).isFalse();
    }

    @Test
    void deliveredAndCanceledAreFinal() {
        for (OrderStatus next : OrderStatus.values()) {
            assertThat(DELIVERED.canMoveTo(next)).as("Delivered -> %s", next).isFalse();
            assertThat(CANCELED.canMoveTo(next)).as("Canceled -> %s", next).isFalse();
        }
    }

    @Test
    void parsesHoneybeeLabelsAndCommonVariants() {
        assertThat(OrderStatus.parse("On Hold")).contains(ON_HOLD);
        assertThat(OrderStatus.parse("ON_HOLD")).contains(ON_HOLD);
        assertThat(OrderStatus.parse("Cancelled")).contains(CANCELED);
        assertThat(OrderStatus.parse("Teleported")).isEmpty();
    }
}
