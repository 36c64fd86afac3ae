package com.example.honeybee.record;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Whether an ORDER_EXCEPTION arrived late: older than its order's last status change. Honeybee's
 * timestamps decide where both are known (the exception's own time, and the newest shipment time Honeybee
 * reported for the order: shipment_date or a carrier scan's occurred_at); otherwise arrival order
 * decides, and an exception processed after its order reached Shipped, Delivered or Canceled is late.
 * A late exception is recorded but never puts its order On Hold and is never answered: the order has
 * moved on. Plain rule, no I/O.
 */
public final class LateException {

    private LateException() {
    }

    /**
     * @param current    the order's status when the exception is processed (absent: no status yet)
     * @param raisedAt   the exception's own time as Honeybee sent it, or null (Honeybee's sample has none)
     * @param lastChange the newest time Honeybee reported for the order's status (shipment or scan), or null
     * @return why the exception is late (ids and statuses only), or empty when it is not
     */
    public static Optional<String> reason(Optional<OrderStatus> current, OffsetDateTime raisedAt, OffsetDateTime lastChange) {
        if (raisedAt != null && lastChange != null) {
            return raisedAt.isBefore(lastChange)
                    ? Optional.of("late: raised " + raisedAt + ", before the order's " + current.map(OrderStatus::label).orElse("last")
                            + " update of " + lastChange)
                    : Optional.empty();
        }
        return current.filter(LateException::beyondHold)
                .map(status -> "late: arrived after the order was " + status.label());
    }

    /** Statuses an exception can no longer put On Hold. */
    private static boolean beyondHold(OrderStatus status) {
        return status == OrderStatus.SHIPPED || status.isFinal();
    }
}
