package com.example.honeybee.webhook;

import java.util.Optional;

/**
 * The event types Honeybee documents; anything else is stored and flagged, not processed. Names match
 * case-insensitively ({@code rx_received} is RX_RECEIVED): Honeybee documents upper case, and a type
 * that differs only in case cannot mean another event.
 */
public enum EventType {
    RX_RECEIVED, RX_UPDATED, SHIPMENT_UPDATED, ORDER_EXCEPTION;

    public static Optional<EventType> of(String name) {
        // ASCII only: Unicode case folding would also match look-alikes such as a dotless i
        if (name == null || !name.chars().allMatch(c -> c < 128)) {
            return Optional.empty();
        }
        for (EventType type : values()) {
            if (type.name().equalsIgnoreCase(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** A known type's canonical name (upper case); an unknown type as it was sent. */
    public static String canonical(String name) {
        return of(name).map(EventType::name).orElse(name);
    }

    /** The label for metrics: a known type's name, else "other", so unknown types cannot grow the label set. */
    public static String metricLabel(String name) {
        return of(name).map(EventType::name).orElse("other");
    }
}
