package com.example.honeybee.support;

/** An event that passed intake but holds data a flow cannot use; the message names fields, not values. */
public class EventDataException extends RuntimeException implements PhiFreeMessage {

    public EventDataException(String message) {
        super(message);
    }
}
