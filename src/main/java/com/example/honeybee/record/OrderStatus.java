package com.example.honeybee.record;

import java.util.Locale;
import java.util.Optional;

/**
 * Honeybee's order statuses and the rule that keeps an order's status from moving backwards when
 * webhooks arrive out of order: Processing &lt; Filling &lt; Shipped &lt; Delivered; On Hold can
 * interrupt an order that has not shipped and is left by any later forward status; Delivered and
 * Canceled are final.
 */
public enum OrderStatus {
    PROCESSING("Processing", 1), FILLING("Filling", 2), SHIPPED("Shipped", 3), DELIVERED("Delivered", 4),
    ON_HOLD("On Hold", 0), CANCELED("Canceled", 0);

    private final String label;
    private final int rank;

    OrderStatus(String label, int rank) {
        this.label = label;
        this.rank = rank;
    }

    public String label() {
        return label;
    }

    public boolean isFinal() {
        return this == DELIVERED || this == CANCELED;
    }

    public static Optional<OrderStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String normalized = text.trim().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (normalized.equals("cancelled")) {
            return Optional.of(CANCELED);
        }
        for (OrderStatus status : values()) {
            if (status.label.toLowerCase(Locale.ROOT).equals(normalized)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** Whether an order now in {@code this} status may take the {@code incoming} one. */
    public boolean canMoveTo(OrderStatus incoming) {
        if (incoming == this || isFinal()) {
            return false;
        }
        return switch (incoming) {
            case CANCELED -> true;
            case ON_HOLD -> this == PROCESSING || this == FILLING;
            case PROCESSING -> false;
            default -> this == ON_HOLD || incoming.rank > this.rank;
        };
    }
}
