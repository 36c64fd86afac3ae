package com.example.honeybee.webhook;

import java.util.Optional;

/** The event types Honeybee documents; anything else is stored and flagged, not processed. */
public enum EventType {
    RX_RECEIVED, RX_UPDATED, SHIPMENT_UPDATED, ORDER_EXCEPTION;

    public static Optional<EventType> of(String name) {
        for (EventType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
